// The `.leash.yaml` loader and the settings built from it (rule options, severities, targets
// extensions, globs), then a scan under them. A mistake must be a UsageError; nothing else may
// escape, crash or hang.
#include "tests/fuzz/fuzz_support.h"

#include "core/config.h"

namespace {

constexpr const char *kPython =
    "import redis\n"
    "import requests\n"
    "pool = redis.Redis(host='cache')  # leash: ignore[missing-socket-timeout]\n"
    "def handler(url):\n"
    "    seen = []\n"
    "    return requests.get(url)\n";
constexpr const char *kCompose = "services:\n  cache:\n    image: redis:7\n    mem_limit: 512m\n";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool written = [] {
    leash::fuzz::write("src/app.py", kPython);
    leash::fuzz::write("src/docker-compose.yml", kCompose);
    return true;
  }();
  (void)written;
  leash::fuzz::write(leash::kConfigFileName,
                     std::string_view(reinterpret_cast<const char *>(data), size));
  try {
    (void)leash::fuzz::scan_one("src", /*with_config=*/true);
  } catch (const leash::UsageError &) {
    // The config's mistake, named at its file and line: what a user sees, exit 2.
  }
  return 0;
}
