// The options of `leash check` and `leash merge`, parsed and checked against each other.
#pragma once

#include "report/report.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

// A report to write: `--format FORMAT` (to --output or stdout) or `--format FORMAT:FILE`.
struct ReportSpec {
  Format format = Format::Text;
  std::optional<std::string> file; // none: standard output
};

struct CheckOptions {
  std::vector<ReportSpec> reports;
  std::optional<std::string> config;
  std::optional<std::string> select;
  std::optional<std::string> extend_select;
  std::optional<std::string> ignore;
  std::optional<std::string> compile_commands;
  std::optional<std::string> baseline;
  std::optional<std::string> diff;
  std::optional<std::string> sarif_category;
  std::optional<std::string> shard;
  std::optional<std::string> cache_dir;
  bool no_cache = false;
  bool fix = false;
  bool exit_zero = false;
  bool quiet = false;
  bool help = false;
  int jobs = 0;
  std::vector<std::string> paths; // check: what to scan (default "."); merge: the reports
};

// Reads `--name value` / `--name=value` options; positional arguments are taken one by one.
class ArgReader {
public:
  explicit ArgReader(const std::vector<std::string> &args) : args_(args) {}

  bool done() const { return i_ >= args_.size(); }
  const std::string &peek() const { return args_[i_]; }
  // If the next argument is option `name`, consumes it and stores its value (UsageError when the
  // value is missing).
  bool value(std::string_view name, std::string &into);
  // If the next argument is the flag `name`, consumes it.
  bool flag(std::string_view name);
  std::string take() { return args_[i_++]; }

private:
  const std::vector<std::string> &args_;
  size_t i_ = 0;
};

enum class Command { Check, Merge };

// Throws UsageError, naming the closest option for a typo.
CheckOptions parse_options(const std::vector<std::string> &args, Command command);

} // namespace leash
