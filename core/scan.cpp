#include "core/scan.h"

#include "core/cache.h"
#include "core/config.h"
#include "core/deadline.h"
#include "core/fingerprint.h"
#include "core/parallel.h"
#include "core/read_file.h"
#include "core/suppression.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace leash {

namespace fs = std::filesystem;

namespace {

struct Outcome {
  FileResult result;
  bool read = false;
  bool internal_failure = false;
  // Its conditional findings in the file itself, finalized while its text was at hand.
  std::vector<PendingFinding> pending;
};

// Reads a scanned file, or reports why not as that file's error.
bool read_file(const fs::path &path, const std::string &display, std::size_t limit,
               std::string &text, std::vector<FileError> &errors) {
  const auto failure = read_regular_file(path, limit, text);
  if (!failure)
    return true;
  errors.push_back(
      {display, 0, 0, failure->message + (failure->too_large ? " (max_file_size)" : "")});
  return false;
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

// Whether `settings` (those governing `path`, a file of `language`) report `rule` there: a rule
// turned off for the path, or for its language (Rule::opt_in_languages: a header's finding from
// a unit under another config), or per-file-ignored there, is not.
bool reports(const Settings &settings, const fs::path &absolute, Language language,
             const std::string &rule) {
  const RuleSettings *enabled = settings.enabled(rule);
  if (!enabled || (enabled->rule->targets.contains(language) && !settings.enabled(rule, language)))
    return false;
  return settings.config().per_file_ignores.empty() ||
         !settings.config().ignores_in(absolute, rule);
}

// Drops the items (findings in `source`) whose rule, as `rule_of` tells it, the settings of
// `source` do not report there.
template <class Item, class RuleOf>
void drop_unreported(std::vector<Item> &items, const SourceFile &source, Language language,
                     const Settings &settings, RuleOf rule_of) {
  const fs::path absolute =
      settings.config().per_file_ignores.empty() ? fs::path() : fs::absolute(source.path());
  std::erase_if(items, [&](const Item &item) {
    return !reports(settings, absolute, language, rule_of(item));
  });
}

// Keeps the findings in `source` that its own settings report, at those settings' severity; marks
// suppressed ones and hashes their lines.
void finalize(const SourceFile &source, Language language, const Settings &settings,
              std::vector<Finding> &findings) {
  if (findings.empty())
    return;
  drop_unreported(findings, source, language, settings,
                  [](const Finding &f) -> const std::string & { return f.rule; });
  for (Finding &f : findings) {
    f.severity = settings.enabled(f.rule)->severity;
    if (f.at_most)
      f.severity = std::min(f.severity, *f.at_most);
  }
  apply_suppressions(source, language, findings);
  hash_lines(source, findings);
}

// Finalizes findings not yet decided (conditional), all in `source`: those its settings do not
// report are dropped first, so that finalize() drops none of the rest.
void finalize_pending(const SourceFile &source, Language language, const Settings &settings,
                      std::vector<PendingFinding> &pending) {
  if (pending.empty())
    return;
  drop_unreported(pending, source, language, settings,
                  [](const PendingFinding &p) -> const std::string & { return p.finding.rule; });
  std::vector<Finding> findings;
  for (PendingFinding &p : pending)
    findings.push_back(std::move(p.finding));
  finalize(source, language, settings, findings); // drops none now
  for (size_t i = 0; i < findings.size(); ++i)
    pending[i].finding = std::move(findings[i]);
}

// Whether the files a cached result depended on are as they were: same content (installed files:
// same size and time), same settings. Each file is looked at once per run.
class DependencyCheck {
public:
  explicit DependencyCheck(const Workspace &workspace) : workspace_(workspace) {}

  bool unchanged(const std::vector<CachedDependency> &dependencies) {
    for (const CachedDependency &dependency : dependencies) {
      const auto now = state_of(dependency.path, dependency.by_stat);
      if (!now || *now != dependency.content)
        return false;
      // Installed files are never reported in: their folder's settings do not matter.
      if (!dependency.by_stat &&
          workspace_.settings_for(dependency.path).digest() != dependency.settings)
        return false;
    }
    return true;
  }

  // The cache's form of what an analysis read: installed files by size and time, as of now.
  std::vector<CachedDependency> for_cache(const std::vector<Dependency> &dependencies) {
    std::vector<CachedDependency> out;
    for (const Dependency &d : dependencies) {
      if (d.by_stat) {
        const auto stat = state_of(d.path, true);
        if (stat)
          out.push_back({d.path, *stat, {}, true});
      } else {
        out.push_back({d.path, d.content, workspace_.settings_for(d.path).digest(), false});
      }
    }
    return out;
  }

private:
  std::optional<Digest> state_of(const std::string &path, bool by_stat) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = states_.find({path, by_stat}); it != states_.end())
        return it->second;
    }
    std::optional<Digest> digest;
    if (by_stat) {
      std::error_code ec;
      const auto size = fs::file_size(path, ec);
      const auto time = fs::last_write_time(path, ec);
      if (!ec)
        digest = Hasher()
                     .field("size and time")
                     .field(std::to_string(size))
                     .field(std::to_string(time.time_since_epoch().count()))
                     .digest();
    } else {
      std::string text;
      std::vector<FileError> ignored;
      if (read_file(path, path, workspace_.settings_for(path).config().max_file_bytes, text,
                    ignored))
        digest = hash_of(text);
    }
    std::lock_guard lock(mutex_);
    return states_.emplace(std::pair{path, by_stat}, digest).first->second;
  }

  const Workspace &workspace_;
  std::mutex mutex_;
  std::map<std::pair<std::string, bool>, std::optional<Digest>> states_;
};

// Everything that decides a file's result, for the cache. `cwd`: findings name paths relative to
// it.
Digest cache_key(const Cache &cache, const InputFile &file, const RunContext &run,
                 const Frontend &frontend, std::string_view text, const std::string &cwd) {
  const TreeIndex *index = run.index<TreeIndex>(file.language);
  Hasher key;
  return cache.seal(key)
      .field("leash file result")
      .field(Cache::build_identity())
      .field(cwd)
      .field(to_string(file.language))
      .field(file.display)
      .field(file.settings->digest())
      .field(frontend.cache_inputs(file, run))
      .field(index ? index->key() : std::string())
      .field(hash_of(text))
      .digest();
}

Outcome analyze_unguarded(const InputFile &file, const RunContext &run, const ScanOptions &options,
                          DependencyCheck &dependencies, const std::string &cwd) {
  Outcome outcome;
  if (!file.unreadable.empty()) {
    outcome.result.errors.push_back({file.display, 0, 0, file.unreadable});
    return outcome;
  }
  std::string text;
  if (!read_file(file.path, file.display, file.settings->config().max_file_bytes, text,
                 outcome.result.errors))
    return outcome;
  outcome.read = true;
  const Frontend *frontend = frontend_for(file.language);
  if (!frontend)
    return outcome;
  std::optional<Digest> key;
  bool cached = false;
  if (options.cache) {
    key = cache_key(*options.cache, file, run, *frontend, text, cwd);
    if (auto entry = options.cache->lookup(*key);
        entry && dependencies.unchanged(entry->dependencies)) {
      outcome.result = std::move(entry->result);
      cached = true;
    }
  }
  // Its line index is built only when something needs it: not for a cached file without findings.
  std::optional<SourceFile> source;
  if (!cached || !outcome.result.findings.empty() || !outcome.result.conditional.empty())
    source.emplace(file.display, std::move(text));
  if (!cached) {
    if (options.progress && file.language == Language::Cpp) {
      std::lock_guard lock(options.progress->mutex);
      options.progress->current = file.display;
    }
    try {
      // Not for C/C++: clang runs the checks from its own frames, which must not be unwound.
      const FileDeadline deadline(file.language == Language::Cpp
                                      ? std::chrono::milliseconds(0)
                                      : file.settings->config().max_file_time);
      frontend->analyze(*source, *file.settings, run, outcome.result);
    } catch (const DeadlineExceeded &) {
      const auto budget = file.settings->config().max_file_time;
      outcome.result = FileResult{}; // partial findings would pass for a judgement
      outcome.result.analyzed = true;
      outcome.result.cacheable = false;
      outcome.result.errors.push_back(
          {file.display, 0, 0,
           fmt::format("not judged: its analysis took longer than the {} s leash gives a file "
                       "(max_file_seconds)",
                       budget.count() / 1000.0)});
    } catch (const std::exception &e) {
      record_internal_error(file, e, outcome);
    }
    if (key && outcome.result.cacheable && !outcome.internal_failure)
      options.cache->store(*key, outcome.result,
                           dependencies.for_cache(outcome.result.dependencies));
  }
  // The file's own findings, decided or not, are finalized while its text is at hand; those in
  // other files (C++ headers) once all units are done.
  auto &conditional = outcome.result.conditional;
  const auto conditional_elsewhere = std::stable_partition(
      conditional.begin(), conditional.end(),
      [&](const ConditionalFinding &c) { return c.finding.path == file.display; });
  for (auto it = conditional.begin(); it != conditional_elsewhere; ++it)
    outcome.pending.push_back({std::move(it->finding), std::move(it->condition), file.display});
  conditional.erase(conditional.begin(), conditional_elsewhere);
  finalize_pending(*source, file.language, *file.settings, outcome.pending);
  if (outcome.result.findings.empty())
    return outcome;
  std::vector<Finding> own;
  auto &findings = outcome.result.findings;
  const auto elsewhere = std::stable_partition(
      findings.begin(), findings.end(), [&](const Finding &f) { return f.path == file.display; });
  std::move(findings.begin(), elsewhere, std::back_inserter(own));
  findings.erase(findings.begin(), elsewhere);
  finalize(*source, file.language, *file.settings, own);
  findings.insert(findings.begin(), std::make_move_iterator(own.begin()),
                  std::make_move_iterator(own.end()));
  return outcome;
}

// Nothing may escape a worker thread: a mistake in a config file met there (the one governing a
// header's folder) is kept for the main thread to throw; whatever else goes wrong is that file's
// internal error.
Outcome analyze(const InputFile &file, const RunContext &run, const ScanOptions &options,
                DependencyCheck &dependencies, const std::string &cwd,
                std::exception_ptr &config_error, std::mutex &mutex) {
  try {
    return analyze_unguarded(file, run, options, dependencies, cwd);
  } catch (const UsageError &) {
    std::lock_guard lock(mutex);
    if (!config_error)
      config_error = std::current_exception();
    return {};
  } catch (const std::exception &e) {
    Outcome outcome;
    record_internal_error(file, e, outcome);
    return outcome;
  }
}

} // namespace

void ScanState::add(ScanState other) {
  const auto append = [](auto &into, auto &from) {
    into.insert(into.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
  };
  append(findings, other.findings);
  append(pending, other.pending);
  append(facts, other.facts);
  append(errors, other.errors);
  append(notes, other.notes);
  files += other.files;
  analyzed += other.analyzed;
  error_files += other.error_files;
  internal_failure |= other.internal_failure;
  shard = shards = 0; // the sum is no one shard
  scan_digest.clear();
}

int default_jobs() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

namespace {

// Each front end's index of the whole scan (see Frontend::index).
std::map<Language, std::shared_ptr<const TreeIndex>> indexes(const std::vector<InputFile> &files,
                                                             int jobs, Cache *cache) {
  std::map<Language, std::vector<const InputFile *>> by_language;
  for (const InputFile &file : files)
    if (file.unreadable.empty())
      by_language[file.language].push_back(&file);
  std::map<Language, std::shared_ptr<const TreeIndex>> out;
  for (const auto &[language, list] : by_language)
    if (const Frontend *frontend = frontend_for(language))
      if (auto index = frontend->index(list, jobs, cache))
        out.emplace(language, std::move(index));
  return out;
}

} // namespace

ScanState scan(const std::vector<InputFile> &files, const RunContext &context,
               const ScanOptions &options) {
  const int jobs = options.jobs > 0 ? options.jobs : default_jobs();
  RunContext run = context;
  run.indexes = indexes(options.whole ? *options.whole : files, jobs, options.cache);
  std::vector<Outcome> outcomes(files.size());
  DependencyCheck dependencies(run.workspace);
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  std::exception_ptr config_error;
  std::mutex config_error_mutex;
  parallel_for(files.size(), jobs, [&](size_t i) {
    outcomes[i] =
        analyze(files[i], run, options, dependencies, cwd, config_error, config_error_mutex);
    if (options.progress)
      ++options.progress->done;
  });
  if (config_error)
    std::rethrow_exception(config_error);

  ScanState state;
  // Findings in files other than their unit (C++ headers), decided or not: each such file is
  // read once and they are finalized against its text and settings.
  struct Elsewhere {
    Language language;
    std::vector<Finding> findings;
    std::vector<PendingFinding> pending;
  };
  std::map<std::string, Elsewhere> elsewhere;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    FileResult &result = outcomes[i].result;
    state.files += outcomes[i].read;
    state.analyzed += result.analyzed;
    state.internal_failure |= outcomes[i].internal_failure;
    state.error_files += !result.errors.empty();
    for (Finding &f : result.findings) {
      if (f.path == files[i].display) {
        state.findings.push_back(std::move(f));
      } else {
        Elsewhere &other = elsewhere[f.path];
        other.language = files[i].language;
        other.findings.push_back(std::move(f));
      }
    }
    for (ConditionalFinding &c : result.conditional) {
      Elsewhere &other = elsewhere[c.finding.path];
      other.language = files[i].language;
      other.pending.push_back({std::move(c.finding), std::move(c.condition), files[i].display});
    }
    std::move(outcomes[i].pending.begin(), outcomes[i].pending.end(),
              std::back_inserter(state.pending));
    std::move(result.facts.begin(), result.facts.end(), std::back_inserter(state.facts));
    std::move(result.errors.begin(), result.errors.end(), std::back_inserter(state.errors));
    std::move(result.notes.begin(), result.notes.end(), std::back_inserter(state.notes));
  }
  for (auto &[path, other] : elsewhere) {
    std::string text;
    std::vector<FileError> unreadable;
    if (!read_file(path, path, run.workspace.settings_for(path).config().max_file_bytes, text,
                   unreadable)) {
      // Gone or changed since a unit read it: its findings cannot be placed, and are not lost
      // silently.
      state.errors.push_back({path, 0, 0,
                              fmt::format("could not be read again to report its findings: {}",
                                          unreadable.front().message)});
      ++state.error_files;
      continue;
    }
    const SourceFile source(path, std::move(text));
    const Settings &settings = run.workspace.settings_for(path);
    finalize(source, other.language, settings, other.findings);
    std::move(other.findings.begin(), other.findings.end(), std::back_inserter(state.findings));
    finalize_pending(source, other.language, settings, other.pending);
    std::move(other.pending.begin(), other.pending.end(), std::back_inserter(state.pending));
  }
  return state;
}

namespace {

// The facts that hold: those provided outright, and those provided if another holds, once it
// does (through any number of steps).
std::unordered_set<std::string> established(const std::vector<std::string> &provided) {
  std::unordered_set<std::string> facts;
  std::unordered_multimap<std::string_view, std::string_view> follows; // given -> fact
  std::vector<std::string_view> pending;
  for (const std::string &entry : provided) {
    if (entry.find(kFactNumber) != std::string::npos)
      continue; // a number (see smallest_numbers)
    const size_t split = entry.find(kFactIf);
    if (split == std::string::npos) {
      if (facts.insert(entry).second)
        pending.push_back(entry);
    } else {
      follows.emplace(std::string_view(entry).substr(split + 1),
                      std::string_view(entry).substr(0, split));
    }
  }
  while (!pending.empty()) {
    const std::string given(pending.back());
    pending.pop_back();
    const auto [first, last] = follows.equal_range(given);
    for (auto it = first; it != last; ++it)
      if (facts.emplace(it->second).second)
        pending.push_back(it->second);
  }
  return facts;
}

// The smallest number each fact was given (CheckContext::provide_number).
std::unordered_map<std::string, uint64_t>
smallest_numbers(const std::vector<std::string> &provided) {
  std::unordered_map<std::string, uint64_t> smallest;
  for (const std::string &entry : provided) {
    const size_t split = entry.find(kFactNumber);
    if (split == std::string::npos)
      continue;
    uint64_t value = 0;
    const char *digits = entry.data() + split + 1;
    if (std::from_chars(digits, entry.data() + entry.size(), value).ec != std::errc())
      continue; // not written by provide_number (a shard report edited by hand)
    const auto [it, inserted] = smallest.emplace(entry.substr(0, split), value);
    if (!inserted)
      it->second = std::min(it->second, value);
  }
  return smallest;
}

} // namespace

ScanResult decide(ScanState state) {
  ScanResult result;
  const std::unordered_set<std::string> facts = established(state.facts);
  const std::unordered_map<std::string, uint64_t> numbers = smallest_numbers(state.facts);
  const auto below = [&](const Bound &bound) {
    return std::any_of(bound.facts.begin(), bound.facts.end(), [&](const std::string &fact) {
      const auto it = numbers.find(fact);
      return it != numbers.end() && it->second < bound.value;
    });
  };
  // Per subject, the standing finding of the lowest rank, then of the first unit.
  std::map<std::string, const PendingFinding *> best;
  const auto order = [](const PendingFinding &p) {
    return std::tie(p.condition.rank, p.unit, p.finding.path, p.finding.span.start,
                    p.finding.message);
  };
  for (const PendingFinding &p : state.pending) {
    const Condition &condition = p.condition;
    const auto provided = [&](const std::string &fact) { return facts.contains(fact); };
    const bool stands = !provided(condition.refuted_by) &&
                        std::none_of(condition.also_refuted_by.begin(),
                                     condition.also_refuted_by.end(), provided) &&
                        std::all_of(condition.needs.begin(), condition.needs.end(), provided) &&
                        (!condition.needs_below || below(*condition.needs_below));
    if (!stands)
      continue;
    auto &kept = best[condition.refuted_by];
    if (!kept || order(p) < order(*kept))
      kept = &p;
  }
  result.findings = std::move(state.findings);
  for (const auto &[subject, kept] : best)
    result.findings.push_back(kept->finding);

  std::sort(result.findings.begin(), result.findings.end(), [](const Finding &a, const Finding &b) {
    return a.path != b.path ? a.path < b.path : by_position(a, b);
  });
  // A header reached by several units (or a .cpp also #included by another, in a unity build)
  // yields the same finding more than once.
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(),
                                    [](const Finding &a, const Finding &b) {
                                      return a.path == b.path && same_place(a, b);
                                    }),
                        result.findings.end());
  number_fingerprints(result.findings);

  const auto by_path = [](const FileError &a, const FileError &b) {
    return std::tie(a.path, a.line, a.column, a.message) <
           std::tie(b.path, b.line, b.column, b.message);
  };
  result.errors = std::move(state.errors);
  result.notes = std::move(state.notes);
  std::sort(result.errors.begin(), result.errors.end(), by_path);
  std::sort(result.notes.begin(), result.notes.end(), by_path);
  result.notes.erase(std::unique(result.notes.begin(), result.notes.end(),
                                 [&](const FileError &a, const FileError &b) {
                                   return !by_path(a, b) && !by_path(b, a);
                                 }),
                     result.notes.end());
  result.stats.files = state.files;
  result.stats.analyzed = state.analyzed;
  result.stats.errors = state.error_files;
  result.internal_failure = state.internal_failure;
  for (const Finding &finding : result.findings)
    ++(finding.suppressed ? result.stats.suppressed : result.stats.findings);
  return result;
}

} // namespace leash
