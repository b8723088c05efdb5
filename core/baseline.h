// `--baseline FILE`: the findings of an earlier report (leash's JSON or SARIF) are accepted, and
// only the others are reported and fail the run. A finding is matched by its path, rule and
// fingerprint, which survive unrelated edits (see core/fingerprint.h): lines added or removed
// elsewhere, other code moved or reformatted. Equal lines in one file are told apart by their
// order, so a second copy of an accepted line is new.
#pragma once

#include "core/scan.h"

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

namespace leash {

class Baseline {
public:
  // Throws UsageError naming the file when it cannot be read or is not a leash JSON or SARIF
  // report.
  static Baseline load(const std::filesystem::path &file);

  bool contains(const Finding &finding) const;
  size_t size() const { return keys_.size(); }

private:
  std::set<std::tuple<std::string, std::string, std::string>> keys_; // path, rule, fingerprint
};

// Marks the findings the baseline holds (they stay in the result, as SARIF keeps them) and counts
// them apart.
void apply_baseline(const Baseline &baseline, ScanResult &result);

} // namespace leash
