#include "frontend/cpp/commands.h"

#include "core/hash.h"
#include "core/read_file.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace leash::cpp {

namespace fs = std::filesystem;

// 100,000 entries take about 60 MiB.
constexpr std::size_t kMaxDatabaseBytes = std::size_t{1} << 30;

bool within(const fs::path &path, const fs::path &root) {
  const auto relative = path.lexically_relative(root);
  return path == root || (!relative.empty() && *relative.begin() != "..");
}

std::optional<fs::path> database_dir(const fs::path &file, const CppConfig &cpp,
                                     const RunContext &run) {
  if (run.compile_commands)
    return run.compile_commands;
  if (cpp.compile_commands)
    return cpp.compile_commands->empty() ? std::nullopt : cpp.compile_commands;
  std::error_code ec;
  for (fs::path dir = file.parent_path();; dir = dir.parent_path()) {
    for (const fs::path &candidate : {dir, dir / "build"})
      if (fs::is_regular_file(candidate / "compile_commands.json", ec))
        return candidate;
    if (!dir.has_relative_path())
      return std::nullopt;
  }
}

std::vector<std::string> config_arguments(const CppConfig &cpp) {
  std::vector<std::string> args = cpp.extra_args;
  for (const fs::path &include : cpp.include_paths)
    args.push_back("-I" + include.string());
  return args;
}

std::vector<std::string> fallback_arguments(const fs::path &file, const CppConfig &cpp,
                                            const RunContext &run) {
  std::vector<std::string> args;
  if (file.extension() == ".c")
    args = {"-std=c17"};
  else if (is_header(file))
    args = {"-x", "c++-header", "-std=c++17"};
  else
    args = {"-std=c++17"};
  const std::vector<std::string> configured = config_arguments(cpp);
  args.insert(args.end(), configured.begin(), configured.end());
  // Where a project without a build keeps its headers: beside the unit, and the scanned root's
  // include/ and the root itself (the deepest root that holds the unit; a root that is the file
  // itself, as pre-commit names them, adds nothing).
  std::vector<fs::path> folders = {file.parent_path()};
  const fs::path *root = nullptr;
  for (const fs::path &candidate : run.roots)
    if (file != candidate && within(file, candidate) &&
        (!root || candidate.native().size() > root->native().size()))
      root = &candidate;
  if (root) {
    std::error_code ec;
    if (fs::is_directory(*root / "include", ec))
      folders.push_back(*root / "include");
    folders.push_back(*root);
  }
  for (const fs::path &folder : folders) {
    const std::string flag = "-I" + folder.string();
    if (std::find(args.begin(), args.end(), flag) == args.end())
      args.push_back(flag);
  }
  return args;
}

std::shared_ptr<const DatabaseText> database_text(const fs::path &dir) {
  static std::mutex mutex;
  struct Seen {
    fs::file_time_type modified;
    uintmax_t size = 0;
    std::shared_ptr<const DatabaseText> text;
  };
  static std::map<fs::path, Seen> seen;
  const fs::path json = dir / "compile_commands.json";
  std::error_code ec;
  const auto modified = fs::last_write_time(json, ec);
  const auto size = fs::file_size(json, ec);
  std::lock_guard lock(mutex);
  Seen &entry = seen[dir];
  if (!entry.text || entry.modified != modified || entry.size != size) {
    auto loaded = std::make_shared<DatabaseText>();
    loaded->dir = dir;
    // Unreadable (a FIFO in its place, larger than 1 GiB): as a database clang cannot load, no
    // commands; the units then report what their fallback command lacks.
    if (read_regular_file(json, kMaxDatabaseBytes, loaded->text))
      loaded->text.clear();
    loaded->digest = hash_of(loaded->text).hex();
    entry = {modified, size, std::move(loaded)};
  }
  return entry.text;
}

std::string command_inputs(const fs::path &file, const CppConfig &cpp, const RunContext &run) {
  const auto dir = database_dir(file, cpp, run);
  if (!dir) {
    std::string inputs = "no compilation database";
    for (const std::string &arg : fallback_arguments(file, cpp, run))
      inputs += '\n' + arg;
    return inputs;
  }
  return dir->string() + '\n' + database_text(*dir)->digest;
}

} // namespace leash::cpp
