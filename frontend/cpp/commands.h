// Where a C or C++ unit's compile command comes from, as far as it can be told without clang:
// which compile_commands.json covers it (-p, the config's `cpp.compile_commands`, else the
// nearest one above it, as clangd looks), and the fallback arguments for units no database
// covers. Used by the executable (for the result cache's key, without loading clang) and by the
// clang front end (libleash-cpp.so) alike.
#pragma once

#include "core/analysis.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leash::cpp {

// Whether `path` is `root` or below it (both absolute and normal).
bool within(const std::filesystem::path &path, const std::filesystem::path &root);

// The folder with the compile_commands.json that covers `file` (absolute), or none.
std::optional<std::filesystem::path> database_dir(const std::filesystem::path &file,
                                                  const CppConfig &cpp, const RunContext &run);

// The config's arguments for units no database lists: extra arguments and include paths.
std::vector<std::string> config_arguments(const CppConfig &cpp);

// The command for a file no compilation database covers: the C or C++ standard its name says
// (a header is read as C++), the config's arguments, and on the include path the file's folder,
// the scanned root and the root's include/.
std::vector<std::string> fallback_arguments(const std::filesystem::path &file, const CppConfig &cpp,
                                            const RunContext &run);

// A compile_commands.json as read once (again when it changes on disk): the cache's key and the
// clang front end use the same snapshot of it.
struct DatabaseText {
  std::filesystem::path dir;
  std::string text;
  std::string digest;
};
std::shared_ptr<const DatabaseText> database_text(const std::filesystem::path &dir);

// What decides a unit's command, for the cache: the database's folder and content (a command
// inferred for an unlisted file depends on all of it), or that there is none.
std::string command_inputs(const std::filesystem::path &file, const CppConfig &cpp,
                           const RunContext &run);

} // namespace leash::cpp
