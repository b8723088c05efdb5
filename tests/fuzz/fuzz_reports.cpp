// The readers of leash's own reports, which come back from CI artifacts: `--baseline` (JSON or
// SARIF) and `leash merge`'s shard state, decided and rendered again as a merge does.
#include "tests/fuzz/fuzz_support.h"

#include "core/baseline.h"
#include "core/config.h"
#include "core/serialize.h"
#include "core/workspace.h"
#include "report/report.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace leash;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const auto file = fuzz::write("report.json", text);
  try {
    (void)Baseline::load(file);
  } catch (const UsageError &) {
  }
  const auto json = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains(kScanStateKey))
    return 0;
  try {
    ScanResult result = decide(state_from_json(json[kScanStateKey]));
    static const Workspace workspace(Catalog::builtin(),
                                     Selection{std::nullopt, {}, Catalog::builtin().ids()});
    ReportContext context;
    context.settings = &workspace.settings_for(fuzz::scratch());
    context.source_root = fuzz::scratch();
    (void)format_json(result, context);
    (void)format_sarif(result, context);
  } catch (const nlohmann::json::exception &) {
  } catch (const CorruptInput &) {
  }
  return 0;
}
