#include "core/scan.h"

#include "core/analysis.h"
#include "core/fingerprint.h"
#include "core/suppression.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>
#include <unordered_set>

namespace leash {

namespace {

struct Outcome {
  FileResult result;
  std::vector<Finding> elsewhere; // findings in other files (C++ headers), finalized after the scan
  bool read = false;
  bool internal_failure = false;
};

bool read_file(const InputFile &file, std::string &text, FileResult &result) {
  auto fail = [&](std::string message) {
    result.errors.push_back({file.display, 0, 0, std::move(message)});
    return false;
  };
  const std::string too_large =
      fmt::format("file is larger than the {} MiB leash reads", kMaxFileBytes >> 20);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file.path, ec);
  if (!ec && size > kMaxFileBytes)
    return fail(too_large);
  std::ifstream in(file.path, std::ios::binary);
  if (!in)
    return fail("cannot read the file");
  if (!ec)
    text.reserve(static_cast<size_t>(size));
  // Read in chunks, at most one past the limit: a FIFO or a growing file must not read forever.
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes)
      return fail(too_large);
  }
  return in.bad() ? fail("cannot read the file") : true;
}

bool by_position(const Finding &a, const Finding &b) {
  return std::tie(a.span.start, a.rule, a.message) < std::tie(b.span.start, b.rule, b.message);
}

bool same_place(const Finding &a, const Finding &b) {
  return !by_position(a, b) && !by_position(b, a);
}

void record_internal_error(const InputFile &file, const std::exception &e, Outcome &outcome) {
  outcome.internal_failure = true;
  outcome.result.errors.push_back(
      {file.display, 0, 0, fmt::format("internal error in leash: {}", e.what())});
}

// Sorts a file's findings (the same one found twice counts once), then marks suppressed ones and
// fingerprints them from the file's text.
void finalize(const SourceFile &source, Language language, std::vector<Finding> &findings) {
  std::sort(findings.begin(), findings.end(), by_position);
  findings.erase(std::unique(findings.begin(), findings.end(), same_place), findings.end());
  apply_suppressions(source, language, findings);
  assign_fingerprints(source, findings);
}

Outcome analyze_file_unguarded(const InputFile &file, const Settings &settings) {
  Outcome outcome;
  std::string text;
  if (!read_file(file, text, outcome.result))
    return outcome;
  outcome.read = true;
  const Frontend *frontend = frontend_for(file.language);
  if (!frontend)
    return outcome;
  const SourceFile source(file.display, std::move(text));
  try {
    frontend->analyze(source, settings, outcome.result);
  } catch (const std::exception &e) {
    record_internal_error(file, e, outcome);
  }
  auto &findings = outcome.result.findings;
  const auto here = std::stable_partition(findings.begin(), findings.end(),
                                          [&](const Finding &f) { return f.path == file.display; });
  std::move(here, findings.end(), std::back_inserter(outcome.elsewhere));
  findings.erase(here, findings.end());
  finalize(source, file.language, findings);
  return outcome;
}

// Findings in headers, from every unit that includes them: each once, then finalized against
// the header's own text.
void finalize_elsewhere(std::vector<Outcome> &outcomes, const std::vector<InputFile> &files,
                        std::vector<Finding> &into) {
  std::map<std::string, std::pair<Language, std::vector<Finding>>> by_path;
  for (size_t i = 0; i < outcomes.size(); ++i)
    for (Finding &f : outcomes[i].elsewhere) {
      auto &[language, findings] = by_path[f.path];
      language = files[i].language;
      findings.push_back(std::move(f));
    }
  for (auto &[path, entry] : by_path) {
    auto &[language, findings] = entry;
    std::string text;
    FileResult ignored;
    if (read_file({path, path, language}, text, ignored)) {
      const SourceFile source(path, std::move(text));
      finalize(source, language, findings);
    }
    std::move(findings.begin(), findings.end(), std::back_inserter(into));
  }
}

// Conditional findings that the whole scan confirms, each subject once (the lowest rank, then the
// first unit's in file order, so the output does not depend on --jobs), moved to be finalized
// with the headers'.
void confirm_conditional(std::vector<Outcome> &outcomes) {
  std::unordered_set<std::string> facts;
  for (const Outcome &outcome : outcomes)
    facts.insert(outcome.result.facts.begin(), outcome.result.facts.end());
  std::map<std::string, std::pair<Outcome *, ConditionalFinding *>> best; // by subject
  for (Outcome &outcome : outcomes)
    for (ConditionalFinding &conditional : outcome.result.conditional) {
      const Condition &condition = conditional.condition;
      const bool stands =
          !facts.contains(condition.refuted_by) &&
          std::all_of(condition.needs.begin(), condition.needs.end(),
                      [&](const std::string &need) { return facts.contains(need); });
      auto &[kept_in, kept] = best[condition.refuted_by];
      if (stands && (!kept || condition.rank < kept->condition.rank)) {
        kept_in = &outcome;
        kept = &conditional;
      }
    }
  for (auto &[subject, kept] : best)
    if (kept.second)
      kept.first->elsewhere.push_back(std::move(kept.second->finding));
}

// Nothing may escape a worker thread: whatever goes wrong is that file's internal error.
Outcome analyze_file(const InputFile &file, const Settings &settings) {
  try {
    return analyze_file_unguarded(file, settings);
  } catch (const std::exception &e) {
    Outcome outcome;
    record_internal_error(file, e, outcome);
    return outcome;
  }
}

} // namespace

int default_jobs() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

ScanResult scan(const std::vector<InputFile> &files, const Settings &settings, int jobs) {
  std::vector<Outcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++)
      outcomes[i] = analyze_file(files[i], settings);
  };
  const size_t threads = std::min<size_t>(jobs > 0 ? jobs : default_jobs(), files.size());
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::jthread> pool;
    for (size_t t = 0; t < threads; ++t)
      pool.emplace_back(work);
  }

  ScanResult scan;
  for (Outcome &outcome : outcomes) {
    scan.stats.files += outcome.read;
    scan.stats.analyzed += outcome.result.analyzed;
    scan.internal_failure |= outcome.internal_failure;
    std::move(outcome.result.findings.begin(), outcome.result.findings.end(),
              std::back_inserter(scan.findings));
    if (!outcome.result.errors.empty())
      ++scan.stats.errors;
    for (FileError &error : outcome.result.errors)
      scan.errors.push_back(std::move(error));
    std::move(outcome.result.notes.begin(), outcome.result.notes.end(),
              std::back_inserter(scan.notes));
  }
  confirm_conditional(outcomes);
  finalize_elsewhere(outcomes, files, scan.findings);
  std::stable_sort(scan.findings.begin(), scan.findings.end(),
                   [](const Finding &a, const Finding &b) {
                     return a.path != b.path ? a.path < b.path : by_position(a, b);
                   });
  // A file analyzed on its own and also reached from another unit (a .cpp #included in a unity
  // build) yields the same finding twice.
  scan.findings.erase(std::unique(scan.findings.begin(), scan.findings.end(),
                                  [](const Finding &a, const Finding &b) {
                                    return a.path == b.path && same_place(a, b);
                                  }),
                      scan.findings.end());
  for (const Finding &finding : scan.findings)
    ++(finding.suppressed ? scan.stats.suppressed : scan.stats.findings);
  return scan;
}

} // namespace leash
