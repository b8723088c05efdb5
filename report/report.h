// The report formats. Each renders the whole report as a string, so it can be written to stdout
// or atomically to a file; one scan may be rendered in several.
#pragma once

#include "core/scan.h"
#include "core/settings.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leash {

enum class Format { Text, Json, Sarif, Github, Gitlab };

std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

struct ReportContext {
  // SARIF's rules table: every rule of the catalog, at the severity these settings give it.
  const Settings *settings = nullptr;
  std::filesystem::path source_root; // the working directory: SARIF's %SRCROOT%
  std::string sarif_category;        // SARIF runAutomationDetails.id (GitHub's category)
  bool baseline = false;             // --baseline was given: SARIF results say new or unchanged
  const ScanState *state = nullptr;  // --shard: the report carries it for `leash merge`
  bool color = false;                // text: ANSI colors
  bool quiet = false;                // text: no summary line
};

std::string format_report(Format format, const ScanResult &scan, const ReportContext &context);

// `path:line:col: severity: message [rule-id]` a line, sorted by path and line, then a summary.
std::string format_text(const ScanResult &scan, const ReportContext &context);
// See docs/json-format.md.
std::string format_json(const ScanResult &scan, const ReportContext &context);
// SARIF 2.1.0, within GitHub code scanning's limits.
std::string format_sarif(const ScanResult &scan, const ReportContext &context);
// GitHub Actions workflow commands (`::warning file=...::message`): annotations on the diff.
std::string format_github(const ScanResult &scan, const ReportContext &context);
// GitLab Code Quality (a JSON list of issues), for merge request widgets.
std::string format_gitlab(const ScanResult &scan, const ReportContext &context);

// GitHub code scanning takes at most this many results in a run.
inline constexpr size_t kSarifResultLimit = 25000;

// The scan state a shard report carries (JSON's and SARIF's `leash-scan`), and back. Reading
// throws CorruptInput.
inline constexpr const char *kScanStateKey = "leash-scan";
nlohmann::ordered_json state_to_json(const ScanState &state);
ScanState state_from_json(const nlohmann::ordered_json &json);

} // namespace leash
