// What the libFuzzer targets share: a private scratch folder, and a whole scan of one file through
// every enabled check, the decision, and the JSON and SARIF reports (the path a CI run takes).
#pragma once

#include "core/scan.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace leash::fuzz {

// A folder of this process's own, made once (under $TMPDIR), with no `.leash.yaml` above it that
// leash would read.
const std::filesystem::path &scratch();

// Writes `bytes` to `relative` under scratch() (creating folders), and returns the absolute path.
std::filesystem::path write(std::string_view relative, std::string_view bytes);

// Scans the file at `relative` (already written) with the default settings, or with the
// `.leash.yaml` in scratch() when `with_config` is set, decides, and renders JSON and SARIF.
// Returns the decided result.
ScanResult scan_one(std::string_view relative, bool with_config = false);

} // namespace leash::fuzz
