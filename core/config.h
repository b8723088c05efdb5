// `.leash.yaml`: which rules run, their severity and options, and which paths are excluded.
// Every mistake in it is an error that names the file, the line and the closest valid name.
#pragma once

#include "core/catalog.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
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
  nlohmann::json options = nlohmann::json::object(); // validated against the rule's options
};

// How C++ translation units are compiled when no compilation database lists them.
struct CppConfig {
  std::optional<std::filesystem::path> compile_commands; // a folder with compile_commands.json
  // What was scanned (absolute, symlinks resolved): findings in headers are reported only there.
  std::vector<std::filesystem::path> scan_roots;
  std::vector<std::string> extra_args;              // added to every compile command
  std::vector<std::filesystem::path> include_paths; // absolute
};

struct Config {
  std::filesystem::path file; // empty when no config file was used
  std::filesystem::path root; // exclude globs are relative to this folder
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> ignore;
  std::vector<std::string> exclude;
  std::map<std::string, RuleConfig, std::less<>> rules;
  CppConfig cpp;
};

// Reads and validates a config file against the catalog. Throws UsageError ("file:line:col: ...").
Config load_config(const std::filesystem::path &file, const Catalog &catalog);

// The nearest `.leash.yaml` at or above `start` (a file or folder).
std::optional<std::filesystem::path> find_config(const std::filesystem::path &start);

} // namespace leash
