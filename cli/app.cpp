#include "cli/app.h"

#include "core/analysis.h"
#include "core/atomic_file.h"
#include "core/config.h"
#include "core/discovery.h"
#include "core/scan.h"
#include "core/suggest.h"
#include "leash/version.h"
#include "report/report.h"
#include "report/rule_docs.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace leash {

namespace fs = std::filesystem;

namespace {

constexpr const char *kUsage = R"(leash: finds resources that can hang or grow without bound.

Usage:
  leash check [OPTIONS] [PATH...]   scan files and folders (default: .)
  leash rules [--format text|json|markdown]
                                    list the rules
  leash explain RULE                show a rule's documentation
  leash version                     print the version

Options for check:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE (atomically) instead of stdout
  --config FILE              use FILE instead of the nearest .leash.yaml
  --select RULE,...          run only these rules
  --ignore RULE,...          do not run these rules
  --exit-zero                exit 0 even when there are findings
  --jobs N                   files analyzed in parallel (default: one per core)
  -p, --compile-commands DIR C++: the folder holding compile_commands.json (default: the
                             scanned folder or its build/ folder; else -std=c++17 and the
                             `cpp` settings of .leash.yaml)
  --quiet                    text format: no summary line

Exit codes: 0 no findings, 1 findings or files that could not be analyzed, 2 usage, config or
internal error.
)";

struct CheckOptions {
  std::string format = "text";
  std::optional<std::string> output;
  std::optional<std::string> config;
  std::optional<std::string> select;
  std::optional<std::string> ignore;
  std::optional<std::string> compile_commands;
  bool exit_zero = false;
  bool quiet = false;
  bool help = false;
  int jobs = 0;
  std::vector<std::string> paths;
};

// Reads `--name value` / `--name=value` options; positional arguments are collected as paths.
class ArgReader {
public:
  explicit ArgReader(const std::vector<std::string> &args) : args_(args) {}

  bool done() const { return i_ >= args_.size(); }
  const std::string &peek() const { return args_[i_]; }

  // If the next argument is option `name`, consumes it and stores its value.
  bool value(std::string_view name, std::string &into) {
    const std::string &arg = args_[i_];
    if (arg == name) {
      if (i_ + 1 >= args_.size())
        throw UsageError(fmt::format("{} needs a value", name));
      into = args_[i_ + 1];
      i_ += 2;
      return true;
    }
    if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=') {
      into = arg.substr(name.size() + 1);
      ++i_;
      return true;
    }
    return false;
  }
  bool flag(std::string_view name) {
    if (args_[i_] != name)
      return false;
    ++i_;
    return true;
  }
  std::string take() { return args_[i_++]; }

private:
  const std::vector<std::string> &args_;
  size_t i_ = 0;
};

const std::vector<std::string> kCheckOptions = {
    "--format",    "--output", "--config", "--select", "--ignore",
    "--exit-zero", "--jobs",   "--quiet",  "--help",   "--compile-commands"};

CheckOptions parse_check(const std::vector<std::string> &args) {
  CheckOptions options;
  ArgReader reader(args);
  bool only_paths = false;
  std::string value;
  while (!reader.done()) {
    if (only_paths || !reader.peek().starts_with("-") || reader.peek() == "-") {
      options.paths.push_back(reader.take());
    } else if (reader.flag("--")) {
      only_paths = true;
    } else if (reader.value("--format", value)) {
      if (value != "text" && value != "json" && value != "sarif")
        throw UsageError(fmt::format("--format: expected text, json or sarif, not `{}`", value));
      options.format = value;
    } else if (reader.value("--output", value) || reader.value("-o", value)) {
      options.output = value;
    } else if (reader.value("--config", value)) {
      options.config = value;
    } else if (reader.value("--select", value)) {
      options.select = value;
    } else if (reader.value("--ignore", value)) {
      options.ignore = value;
    } else if (reader.value("--jobs", value) || reader.value("-j", value)) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.jobs);
      if (ec != std::errc() || end != value.data() + value.size() || options.jobs < 0)
        throw UsageError(fmt::format("--jobs: expected a number, not `{}`", value));
    } else if (reader.value("--compile-commands", value) || reader.value("-p", value)) {
      options.compile_commands = value;
    } else if (reader.flag("--exit-zero")) {
      options.exit_zero = true;
    } else if (reader.flag("--quiet") || reader.flag("-q")) {
      options.quiet = true;
    } else if (reader.flag("--help") || reader.flag("-h")) {
      options.help = true;
    } else {
      const std::string arg = reader.take();
      const std::string name = arg.substr(0, arg.find('='));
      throw UsageError(
          fmt::format("unknown option `{}`{}", name, did_you_mean(name, kCheckOptions)));
    }
  }
  if (options.paths.empty())
    options.paths.push_back(".");
  return options;
}

Config resolve_config(const CheckOptions &options, const Catalog &catalog) {
  if (options.config) {
    if (!fs::is_regular_file(*options.config))
      throw UsageError(fmt::format("{}: config file not found", *options.config));
    return load_config(*options.config, catalog);
  }
  if (auto found = find_config(options.paths.front()))
    return load_config(display_path(*found), catalog);
  Config config;
  config.root = fs::current_path();
  return config;
}

// `-p DIR`, else a compile_commands.json in the first scanned folder or its build/ folder.
std::optional<fs::path> find_compile_commands(const CheckOptions &options) {
  if (options.compile_commands) {
    const fs::path dir = *options.compile_commands;
    if (!fs::is_regular_file(dir / "compile_commands.json"))
      throw UsageError(fmt::format("{}: no compile_commands.json there", dir.string()));
    return fs::absolute(dir).lexically_normal();
  }
  const fs::path root = options.paths.front();
  for (const fs::path &dir : {root, root / "build"})
    if (fs::is_regular_file(dir / "compile_commands.json"))
      return fs::absolute(dir).lexically_normal();
  return std::nullopt;
}

int run_check(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
              const Terminal &terminal) {
  const CheckOptions options = parse_check(args);
  if (options.help) {
    out << kUsage;
    return kExitClean;
  }
  const Catalog &catalog = Catalog::builtin();
  Config config = resolve_config(options, catalog);
  config.cpp.compile_commands = find_compile_commands(options);
  for (const std::string &path : options.paths)
    config.cpp.scan_roots.push_back(fs::weakly_canonical(fs::absolute(path)));
  Selection selection;
  if (options.select)
    selection.select = parse_rule_list(*options.select, "--select", catalog);
  if (options.ignore)
    selection.ignore = parse_rule_list(*options.ignore, "--ignore", catalog);
  const Settings settings(catalog, config, selection);

  std::vector<fs::path> paths(options.paths.begin(), options.paths.end());
  const auto files = discover_files(paths, {config.root, config.exclude});
  const ScanResult result = scan(files, settings, options.jobs);

  std::string report;
  if (options.format == "json") {
    report = format_json(result);
  } else if (options.format == "sarif") {
    report = format_sarif(result, settings, fs::current_path());
  } else {
    const bool color = !options.output && terminal.stdout_is_tty && !std::getenv("NO_COLOR");
    report = format_text(result, {color, options.quiet});
  }
  if (options.output)
    write_file_atomically(*options.output, report);
  else
    out << report << std::flush;

  if (result.internal_failure) {
    err << "leash: internal error while analyzing some files (see the report); please report it\n";
    return kExitError;
  }
  const bool problems = result.stats.findings > 0 || result.stats.errors > 0;
  return problems && !options.exit_zero ? kExitFindings : kExitClean;
}

int run_rules(const std::vector<std::string> &args, std::ostream &out) {
  std::string format = "text";
  ArgReader reader(args);
  while (!reader.done())
    if (!reader.value("--format", format))
      throw UsageError(fmt::format("rules: unexpected argument `{}`", reader.peek()));
  const Catalog &catalog = Catalog::builtin();
  if (format == "text") {
    out << rules_table(catalog);
  } else if (format == "markdown") {
    out << rules_reference(catalog);
  } else if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const Rule &rule : catalog.rules()) {
      std::vector<std::string> languages;
      for (Language language : languages_of(rule.id))
        languages.emplace_back(to_string(language));
      rules.push_back({{"id", rule.id},
                       {"name", rule.name},
                       {"severity", to_string(rule.severity)},
                       {"languages", languages},
                       {"summary", rule.summary},
                       {"tags", rule.tags}});
    }
    out << rules.dump(2) << "\n";
  } else {
    throw UsageError(fmt::format("--format: expected text, json or markdown, not `{}`", format));
  }
  return kExitClean;
}

int run_explain(const std::vector<std::string> &args, std::ostream &out) {
  if (args.size() != 1)
    throw UsageError("explain takes one rule id, e.g. `leash explain missing-memory-limit`");
  const Catalog &catalog = Catalog::builtin();
  const Rule *rule = catalog.find(args[0]);
  if (!rule)
    throw UsageError(
        fmt::format("unknown rule `{}`{}", args[0], did_you_mean(args[0], catalog.ids())));
  out << rule_markdown(*rule);
  return kExitClean;
}

} // namespace

int run_cli(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
            const Terminal &terminal) {
  try {
    if (args.empty()) {
      err << kUsage;
      return kExitError;
    }
    const std::string &command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      out << kUsage;
      return kExitClean;
    }
    if (command == "--version" || command == "version") {
      out << "leash " << kVersion << "\n";
      return kExitClean;
    }
    if (command == "check")
      return run_check(rest, out, err, terminal);
    if (command == "rules")
      return run_rules(rest, out);
    if (command == "explain")
      return run_explain(rest, out);
    throw UsageError(fmt::format("unknown command `{}`{}; see `leash --help`", command,
                                 did_you_mean(command, {"check", "rules", "explain", "version"})));
  } catch (const UsageError &e) {
    err << "leash: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception &e) {
    err << "leash: internal error: " << e.what() << "\n";
    return kExitError;
  }
}

} // namespace leash
