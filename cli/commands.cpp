#include "cli/commands.h"

#include "cli/options.h"
#include "cli/progress.h"
#include "core/atomic_file.h"
#include "core/baseline.h"
#include "core/cache.h"
#include "core/diff.h"
#include "core/fix.h"
#include "core/read_file.h"
#include "core/serialize.h"
#include "core/shard.h"
#include "core/workspace.h"
#include "report/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace leash {

namespace fs = std::filesystem;

const char *const kUsage = R"(leash: finds resources that can hang or grow without bound.

Usage:
  leash check [OPTIONS] [PATH...]   scan files and folders (default: .)
  leash merge [OPTIONS] REPORT...   merge the reports of `check --shard` runs into one
  leash rules [--format text|json|markdown]
                                    list the rules
  leash explain RULE                show a rule's documentation
  leash version                     print the version

Options for check (and, where it makes sense, merge):
  --format FORMAT[:FILE]     text, json, sarif, github or gitlab (default: text); repeat it for
                             several reports of one scan; FILE writes that one there
  --output FILE, -o          write the report without a FILE there (atomically), not to stdout
  --config FILE              use FILE for every path instead of each one's nearest .leash.yaml
  --select RULE,...          run only these rules
  --extend-select RULE,...   run these rules too (an opt-in rule runs only when selected)
  --ignore RULE,...          do not run these rules
  --baseline FILE            a JSON or SARIF report of an earlier run: the findings it holds
                             are accepted; only new ones are reported and fail the run
  --diff REF                 report only findings on lines changed since git REF (from its
                             merge base with HEAD; `--diff HEAD`: the uncommitted change)
  --fix                      apply the fixes of the reported findings, then report the rest
  --sarif-category NAME      SARIF runAutomationDetails id (GitHub code scanning's category)
  --shard K/N                scan the K-th of N stable parts of the files; the reports carry
                             what `leash merge` needs to decide as one full run would
  --exit-zero                exit 0 even when there are findings
  --jobs N, -j               files analyzed in parallel (default: one per core)
  -p, --compile-commands DIR C++: the folder holding compile_commands.json (default: the
                             nearest one above each unit, or in a build/ folder there)
  --cache-dir DIR            the result cache (default: $LEASH_CACHE_DIR, else .leash-cache
                             in the project's folder)
  --no-cache                 neither read nor write the result cache
  --quiet, -q                text format: no summary line; no progress line

Exit codes: 0 no findings, 1 findings or files that could not be analyzed, 2 usage, config or
internal error.
)";

namespace {

bool machine_on_stdout(const CheckOptions &options) {
  return std::any_of(options.reports.begin(), options.reports.end(),
                     [](const ReportSpec &r) { return !r.file && r.format != Format::Text; });
}

// The report filters both commands apply after deciding: --diff, then --baseline.
struct Filters {
  std::optional<ChangedLines> diff;
  std::optional<Baseline> baseline;

  static Filters from(const CheckOptions &options) {
    Filters filters;
    if (options.diff)
      filters.diff = ChangedLines::since(*options.diff);
    if (options.baseline)
      filters.baseline = Baseline::load(*options.baseline);
    return filters;
  }
  void apply(ScanResult &result) const {
    if (diff)
      apply_diff(*diff, result);
    if (baseline)
      apply_baseline(*baseline, result);
  }
};

// Writes every report and returns the exit code.
int finish(const CheckOptions &options, const ScanResult &result, const Settings &settings,
           const ScanState *state, std::ostream &out, std::ostream &err, const Terminal &terminal) {
  ReportContext context;
  context.settings = &settings;
  context.source_root = fs::current_path();
  context.sarif_category = options.sarif_category.value_or("");
  context.baseline = options.baseline.has_value();
  context.state = state;
  context.quiet = options.quiet;
  for (const ReportSpec &spec : options.reports) {
    context.color = spec.format == Format::Text && !spec.file && terminal.stdout_is_tty &&
                    !std::getenv("NO_COLOR");
    const std::string report = format_report(spec.format, result, context);
    if (spec.file)
      write_file_atomically(*spec.file, report);
    else
      out << report << std::flush;
  }
  if (result.internal_failure) {
    err << "leash: internal error while analyzing some files (see the report); please report it\n";
    return kExitError;
  }
  const bool problems = result.stats.findings > 0 || result.stats.errors > 0;
  return problems && !options.exit_zero ? kExitFindings : kExitClean;
}

// Applies the fixes of the reported findings, file by file (atomically); returns how many.
size_t apply_reported_fixes(const ScanResult &result, std::ostream &err) {
  std::map<std::string, std::vector<const Fix *>> by_path;
  for (const Finding &f : result.findings)
    if (f.fix && !f.suppressed && !f.baseline)
      by_path[f.path].push_back(&*f.fix);
  size_t applied = 0;
  for (const auto &[path, fixes] : by_path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string text = bytes.str();
    const bool bom = text.starts_with("\xEF\xBB\xBF");
    const SourceFile source(path, std::move(text));
    Fixed fixed = apply_fixes(source, fixes);
    if (fixed.applied == 0)
      continue;
    try {
      write_file_atomically(path, (bom ? "\xEF\xBB\xBF" : "") + fixed.text);
      applied += fixed.applied;
    } catch (const std::exception &e) {
      err << "leash: error: " << e.what() << "\n";
    }
  }
  return applied;
}

// The cache's folder, and whether the user chose it (else it may lie in the scanned tree).
std::pair<fs::path, bool> cache_dir(const CheckOptions &options, const Workspace &workspace) {
  if (options.cache_dir)
    return {*options.cache_dir, true};
  if (const char *env = std::getenv("LEASH_CACHE_DIR"); env && *env)
    return {env, true};
  return {default_cache_dir(workspace.settings_for(options.paths.front()).config().root), false};
}

// The configs governing each path: --config's for all, else each path's nearest; with the rules
// --select, --extend-select and --ignore name.
std::unique_ptr<Workspace> workspace_of(const CheckOptions &options) {
  const Catalog &catalog = Catalog::builtin();
  Selection selection;
  if (options.select)
    selection.select = parse_rule_list(*options.select, "--select", catalog);
  if (options.extend_select)
    selection.extend_select = parse_rule_list(*options.extend_select, "--extend-select", catalog);
  if (options.ignore)
    selection.ignore = parse_rule_list(*options.ignore, "--ignore", catalog);
  std::optional<fs::path> config;
  if (options.config)
    config = *options.config;
  return std::make_unique<Workspace>(catalog, std::move(selection), std::move(config));
}

} // namespace

int run_check(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
              const Terminal &terminal) {
  const CheckOptions options = parse_options(args, Command::Check);
  if (options.help) {
    out << kUsage;
    return kExitClean;
  }
  const auto owned_workspace = workspace_of(options);
  const Workspace &workspace = *owned_workspace;
  RunContext run{workspace, {}, std::nullopt, {}};
  if (options.compile_commands) {
    const fs::path dir = *options.compile_commands;
    std::error_code ec;
    if (!fs::is_regular_file(dir / "compile_commands.json", ec))
      throw UsageError(fmt::format("{}: no compile_commands.json there", dir.string()));
    run.compile_commands = fs::absolute(dir).lexically_normal();
  }
  std::vector<fs::path> paths;
  for (const std::string &path : options.paths) {
    paths.emplace_back(path);
    std::error_code ec; // a path that is not there fails discover_files, naming it
    run.roots.push_back(fs::weakly_canonical(fs::absolute(path, ec), ec));
  }
  std::vector<InputFile> files = discover_files(paths, workspace);
  std::vector<InputFile> whole; // a shard's: every file of the scan
  std::optional<Shard> shard;
  std::string whole_scan;
  if (options.shard) {
    shard = parse_shard(*options.shard);
    whole_scan = scan_digest(files);
    whole = files;
    files = select_shard(files, *shard);
  }
  Filters filters = Filters::from(options);

  std::unique_ptr<Cache> cache;
  if (!options.no_cache) {
    const auto [dir, chosen] = cache_dir(options, workspace);
    cache = std::make_unique<Cache>(dir, chosen);
    if (!cache->problem().empty())
      err << "leash: warning: the result cache is off: " << cache->problem() << "\n";
  }
  ScanProgress progress;
  progress.total = files.size();
  const bool show_progress =
      terminal.stderr_is_tty && !options.quiet && !machine_on_stdout(options);
  const ScanOptions scan_options{options.jobs, cache.get(), show_progress ? &progress : nullptr,
                                 shard ? &whole : nullptr};

  // With --fix, rounds of scanning and fixing until no fix applies (a fix may wait on another
  // that edits the same place); the last round's scan is the report.
  constexpr int kFixRounds = 10;
  size_t fixed = 0;
  ScanState state;
  ScanResult result;
  for (int round = 0;; ++round) {
    progress.done = 0;
    {
      std::optional<ProgressLine> line;
      if (show_progress)
        line.emplace(progress, err);
      state = scan(files, run, scan_options);
    }
    if (shard) {
      state.shard = shard->index;
      state.shards = shard->count;
      state.scan_digest = whole_scan;
    }
    result = options.shard ? decide(state) : decide(std::move(state)); // a shard keeps its state
    filters.apply(result);
    if (!options.fix || round == kFixRounds)
      break;
    const size_t applied = apply_reported_fixes(result, err);
    if (applied == 0)
      break;
    fixed += applied;
    if (options.diff) // the fixes moved lines: what the change touches is asked again
      filters.diff = ChangedLines::since(*options.diff);
  }
  result.stats.fixed = fixed;
  if (cache) {
    cache->save();
    if (std::getenv("LEASH_DEBUG_CACHE"))
      err << "cache: " << cache->hits() << " hits, " << cache->misses() << " misses\n";
    if (!cache->problem().empty())
      err << "leash: warning: the result cache was not saved: " << cache->problem() << "\n";
  }
  return finish(options, result, workspace.settings_for("."), options.shard ? &state : nullptr, out,
                err, terminal);
}

int run_merge(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
              const Terminal &terminal) {
  const CheckOptions options = parse_options(args, Command::Merge);
  if (options.help) {
    out << kUsage;
    return kExitClean;
  }
  const auto workspace = workspace_of(options); // for the rules table of SARIF
  std::vector<std::pair<std::string, ScanState>> shards;
  for (const std::string &path : options.paths) {
    std::string text;
    if (const auto failure = read_regular_file(path, kMaxReportBytes, text))
      throw UsageError(fmt::format("{}: cannot read the report: {}", path, failure->message));
    try {
      const auto report = nlohmann::ordered_json::parse(text);
      const nlohmann::ordered_json *carried = nullptr;
      if (report.is_object() && report.contains(kScanStateKey))
        carried = &report[kScanStateKey];
      else if (report.is_object() && report.contains("runs") && report["runs"].is_array() &&
               !report["runs"].empty() && report["runs"][0].contains("properties") &&
               report["runs"][0]["properties"].contains(kScanStateKey))
        carried = &report["runs"][0]["properties"][kScanStateKey];
      if (!carried)
        throw UsageError(fmt::format(
            "{}: not a shard report: make each with `leash check --shard K/N` and --format json "
            "or sarif",
            path));
      shards.emplace_back(path, state_from_json(*carried));
    } catch (const nlohmann::json::exception &e) {
      throw UsageError(fmt::format("{}: not a leash report: {}", path, e.what()));
    } catch (const CorruptInput &e) {
      throw UsageError(
          fmt::format("{}: the shard state is damaged or foreign: {}", path, e.what()));
    }
  }
  const Filters filters = Filters::from(options);
  ScanResult result = decide(merge_shards(std::move(shards)));
  filters.apply(result);
  return finish(options, result, workspace->settings_for("."), nullptr, out, err, terminal);
}

} // namespace leash
