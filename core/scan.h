// The scan: every input file through its front end (or the result cache), in parallel, into a
// state that `decide` turns into one ordered result, the same whatever the number of jobs. Shards
// of one scan (`--shard`) each leave a state; `leash merge` adds them up and decides once, as one
// full scan would.
#pragma once

#include "core/analysis.h"
#include "core/discovery.h"
#include "core/finding.h"

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace leash {

class Cache;

struct ScanStats {
  size_t files = 0;        // files read
  size_t analyzed = 0;     // files that held something to check (a manifest, a module, ...)
  size_t findings = 0;     // reported findings: not suppressed, not in the baseline, in the diff
  size_t suppressed = 0;   // findings silenced by `leash: ignore`
  size_t baseline = 0;     // findings whose fingerprint is in the --baseline report
  size_t outside_diff = 0; // findings on lines --diff did not change
  size_t fixed = 0;        // findings --fix fixed
  size_t errors = 0;       // files that could not be read or parsed fully
};

// A finding that depends on the whole scan (see Condition), finalized, with the unit that found
// it: among the units that found the same subject, the lowest rank wins, then the first unit.
struct PendingFinding {
  Finding finding;
  Condition condition;
  std::string unit; // display path
};

// What a scan, or one shard of it, saw.
struct ScanState {
  std::vector<Finding> findings; // finalized: filtered by each path's settings, suppressions
                                 // marked, lines hashed; in any order, perhaps twice
  std::vector<PendingFinding> pending;
  std::vector<std::string> facts;
  std::vector<FileError> errors;
  std::vector<FileError> notes;
  size_t files = 0;
  size_t analyzed = 0;
  size_t error_files = 0;
  bool internal_failure = false;
  // A shard's (--shard K/N): which one, and the digest of the whole scan's file list, so that
  // `leash merge` can tell that it has every shard of one scan, each once.
  int shard = 0;
  int shards = 0;
  std::string scan_digest;

  void add(ScanState other); // another shard's
};

struct ScanResult {
  std::vector<Finding> findings; // sorted by path, line, column, rule; includes suppressed ones
  std::vector<FileError> errors; // sorted by path
  std::vector<FileError> notes;  // sorted by path; no effect on the exit code
  ScanStats stats;
  bool internal_failure = false; // a bug in leash: exit code 2
};

// How far a scan has come, for a progress display on another thread.
struct ScanProgress {
  std::atomic<size_t> done{0};
  size_t total = 0;
  std::mutex mutex;
  std::string current; // the C++ unit most recently started
};

struct ScanOptions {
  int jobs = 0;                     // 0: one per core
  Cache *cache = nullptr;           // none: analyze every file
  ScanProgress *progress = nullptr; // none: nobody watches
  // Every file of the scan, when `files` is one shard of it: the front ends' indexes
  // (Frontend::index) are made from all of them, so that shards judge as the whole scan does.
  const std::vector<InputFile> *whole = nullptr;
};

ScanState scan(const std::vector<InputFile> &files, const RunContext &run,
               const ScanOptions &options);

// Decides the pending findings, sorts, removes findings reported twice (a header reached by
// several units), numbers fingerprints and counts.
ScanResult decide(ScanState state);

// The number of jobs `--jobs 0` (the default) means: one per core.
int default_jobs();

} // namespace leash
