#include "cli/options.h"

#include "core/config.h"
#include "core/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace leash {

namespace {

const std::vector<std::string> kCheckOnly = {"--select", "--extend-select",    "--ignore",
                                             "--jobs",   "--compile-commands", "--fix",
                                             "--shard",  "--no-cache",         "--cache-dir"};
const std::vector<std::string> kOptions = {
    "--format",    "--output",         "--config", "--select", "--extend-select",    "--ignore",
    "--exit-zero", "--jobs",           "--quiet",  "--help",   "--compile-commands", "--baseline",
    "--diff",      "--sarif-category", "--fix",    "--shard",  "--no-cache",         "--cache-dir"};

ReportSpec parse_report(const std::string &value) {
  const size_t colon = value.find(':');
  ReportSpec spec;
  const std::string name = value.substr(0, colon);
  const auto format = parse_format(name);
  if (!format)
    throw UsageError(fmt::format(
        "--format: expected text, json, sarif, github or gitlab (optionally :FILE), not `{}`{}",
        name, did_you_mean(name, {"text", "json", "sarif", "github", "gitlab"})));
  spec.format = *format;
  if (colon != std::string::npos) {
    spec.file = value.substr(colon + 1);
    if (spec.file->empty())
      throw UsageError(fmt::format("--format {}: no file after `:`", value));
  }
  return spec;
}

} // namespace

bool ArgReader::value(std::string_view name, std::string &into) {
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

bool ArgReader::flag(std::string_view name) {
  if (args_[i_] != name)
    return false;
  ++i_;
  return true;
}

CheckOptions parse_options(const std::vector<std::string> &args, Command command) {
  CheckOptions options;
  ArgReader reader(args);
  bool only_paths = false;
  std::optional<std::string> output;
  std::string value;
  while (!reader.done()) {
    const std::string &next = reader.peek();
    if (only_paths || !next.starts_with("-") || next == "-") {
      options.paths.push_back(reader.take());
      continue;
    }
    if (command == Command::Merge)
      for (const std::string &name : kCheckOnly)
        if (next == name || next.starts_with(name + "="))
          throw UsageError(fmt::format("{} is an option of `leash check`, not of `merge`", name));
    if (reader.flag("--")) {
      only_paths = true;
    } else if (reader.value("--format", value)) {
      options.reports.push_back(parse_report(value));
    } else if (reader.value("--output", value) || reader.value("-o", value)) {
      output = value;
    } else if (reader.value("--config", value)) {
      options.config = value;
    } else if (reader.value("--select", value)) {
      options.select = value;
    } else if (reader.value("--extend-select", value)) {
      options.extend_select = value;
    } else if (reader.value("--ignore", value)) {
      options.ignore = value;
    } else if (reader.value("--jobs", value) || reader.value("-j", value)) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.jobs);
      if (ec != std::errc() || end != value.data() + value.size() || options.jobs < 0)
        throw UsageError(fmt::format("--jobs: expected a number, not `{}`", value));
    } else if (reader.value("--compile-commands", value) || reader.value("-p", value)) {
      options.compile_commands = value;
    } else if (reader.value("--baseline", value)) {
      options.baseline = value;
    } else if (reader.value("--diff", value)) {
      options.diff = value;
    } else if (reader.value("--sarif-category", value)) {
      options.sarif_category = value;
    } else if (reader.value("--shard", value)) {
      options.shard = value;
    } else if (reader.value("--cache-dir", value)) {
      options.cache_dir = value;
    } else if (reader.flag("--no-cache")) {
      options.no_cache = true;
    } else if (reader.flag("--fix")) {
      options.fix = true;
    } else if (reader.flag("--exit-zero")) {
      options.exit_zero = true;
    } else if (reader.flag("--quiet") || reader.flag("-q")) {
      options.quiet = true;
    } else if (reader.flag("--help") || reader.flag("-h")) {
      options.help = true;
    } else {
      const std::string arg = reader.take();
      const std::string name = arg.substr(0, arg.find('='));
      throw UsageError(fmt::format("unknown option `{}`{}", name, did_you_mean(name, kOptions)));
    }
  }
  if (options.reports.empty())
    options.reports.push_back({Format::Text, std::nullopt});
  // --output names the file of the one report that has none; without it, that report goes to
  // standard output.
  const auto unnamed = std::count_if(options.reports.begin(), options.reports.end(),
                                     [](const ReportSpec &r) { return !r.file; });
  if (unnamed > 1)
    throw UsageError("only one --format can go without a file (to --output or standard "
                     "output): write the others as FORMAT:FILE, e.g. --format sarif:leash.sarif");
  if (output) {
    if (unnamed == 0)
      throw UsageError("--output: every --format already names its file (FORMAT:FILE)");
    for (ReportSpec &report : options.reports)
      if (!report.file)
        report.file = output;
  }
  for (size_t i = 0; i < options.reports.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (options.reports[i].file && options.reports[i].file == options.reports[j].file)
        throw UsageError(
            fmt::format("two reports would be written to {}", *options.reports[i].file));
  if (command == Command::Check && options.paths.empty())
    options.paths.push_back(".");
  if (command == Command::Merge && options.paths.empty())
    throw UsageError("merge: name the shard reports to merge, e.g. `leash merge --format sarif "
                     "--output all.sarif shard-*.sarif`");
  if (command == Command::Merge && options.fix)
    throw UsageError("--fix is an option of `leash check`, not of `merge`");
  return options;
}

} // namespace leash
