// The three output formats. Each returns the whole report as a string, so it can be written to
// stdout or atomically to a file.
#pragma once

#include "core/scan.h"
#include "core/settings.h"

#include <filesystem>
#include <string>

namespace leash {

struct TextOptions {
  bool color = false;
  bool quiet = false; // no summary line
};

// `path:line:col: severity: message [rule-id]` a line, sorted by path and line, then a summary.
std::string format_text(const ScanResult &scan, const TextOptions &options);

// See docs/json-format.md.
std::string format_json(const ScanResult &scan);

// SARIF 2.1.0; `source_root` (the working directory) is %SRCROOT%, which result URIs are relative
// to.
std::string format_sarif(const ScanResult &scan, const Settings &settings,
                         const std::filesystem::path &source_root);

} // namespace leash
