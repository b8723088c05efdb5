// `.leash.yaml`: which rules run, their severity and options, and which paths are excluded.
// Every mistake in it is an error that names the file, the line and the closest valid name.
#pragma once

#include "core/catalog.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

inline constexpr const char *kConfigFileName = ".leash.yaml";

// A mistake in the configuration or on the command line: exit code 2.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct RuleConfig {
  std::optional<Severity> severity;
  // The languages the rule's checks run on, when the config names them (see
  // Rule::opt_in_languages); unset: every language but the opt-in ones.
  std::optional<std::vector<Language>> languages;
  nlohmann::json options = nlohmann::json::object(); // validated against the rule's options
  // Entries added to the rule's targets, per language (validated by its check with the rule's).
  std::map<Language, TargetData> targets;
};

// How C/C++ units are compiled: which compilation database (`compile_commands`: a folder, or
// none), and for units no database lists, extra arguments and include paths.
struct CppConfig {
  // Unset: the nearest compile_commands.json above each unit. An empty path: none at all.
  std::optional<std::filesystem::path> compile_commands; // absolute
  std::vector<std::string> extra_args;                   // for units no database lists
  std::vector<std::filesystem::path> include_paths;      // absolute; likewise
};

// Helm charts: values files merged over each chart's own values.yaml, in order, as
// `helm install -f a.yaml -f b.yaml` merges them.
struct HelmConfig {
  std::vector<std::filesystem::path> values; // absolute
};

// A gitignore-like pattern (see core/glob.h) and the folder it is relative to: the folder of the
// config file that wrote it, which an `extend`ing config keeps.
struct PathGlob {
  std::filesystem::path base; // absolute
  std::string pattern;
  // Whether `path` (absolute) is below `base` and matched.
  bool matches(const std::filesystem::path &path) const;
};

// `per-file-ignores`: the rules not reported in the files a glob matches.
struct PathIgnores {
  PathGlob glob;
  std::vector<std::string> rules;
};

struct Config {
  std::filesystem::path file; // empty when no config file was used
  std::filesystem::path root; // the config file's folder (the working directory without one)
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select; // added to `select`, or to the default rules
  std::vector<std::string> ignore;
  std::vector<PathGlob> exclude;
  std::vector<PathIgnores> per_file_ignores;
  std::map<std::string, RuleConfig, std::less<>> rules;
  CppConfig cpp;
  HelmConfig helm;
  // `max_file_size` (MiB): a larger file is reported as an error, not read (a 200 MB generated
  // file must not stall a pre-commit hook).
  std::size_t max_file_bytes = std::size_t{32} << 20;
  // `max_file_seconds`: a file whose analysis takes longer is reported as an error, not judged
  // (0: no limit). C/C++ units are bounded by clang's own limits instead.
  std::chrono::milliseconds max_file_time{60'000};

  // Whether `rule` is turned off for `path` (absolute) by `per-file-ignores`.
  bool ignores_in(const std::filesystem::path &path, std::string_view rule) const;
};

// Reads and validates a config file against the catalog, and the files it `extend`s (each key it
// sets replaces the extended file's; `rules` merge rule by rule and option by option). Throws
// UsageError ("file:line:col: ...").
Config load_config(const std::filesystem::path &file, const Catalog &catalog);

} // namespace leash
