// The scan: every input file through its front end, in parallel, merged into one ordered result
// that is the same whatever the number of jobs.
#pragma once

#include "core/discovery.h"
#include "core/finding.h"
#include "core/settings.h"

#include <cstddef>
#include <vector>

namespace leash {

struct ScanStats {
  size_t files = 0;      // files read
  size_t analyzed = 0;   // files that held something to check (a manifest, a module, ...)
  size_t findings = 0;   // reported findings, suppressed ones excluded
  size_t suppressed = 0; // findings silenced by `leash: ignore`
  size_t errors = 0;     // files that could not be read or parsed fully
};

struct ScanResult {
  std::vector<Finding> findings; // sorted by path, line, column, rule; includes suppressed ones
  std::vector<FileError> errors; // sorted by path
  std::vector<FileError> notes;  // sorted by path; no effect on the exit code
  ScanStats stats;
  bool internal_failure = false; // a bug in leash: exit code 2
};

// Files larger than this are reported as errors instead of read.
inline constexpr size_t kMaxFileBytes = 32u << 20;

ScanResult scan(const std::vector<InputFile> &files, const Settings &settings, int jobs);

// The number of jobs `--jobs 0` (the default) means: one per core.
int default_jobs();

} // namespace leash
