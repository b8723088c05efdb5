#include "frontend/cpp/commands.h"

#include "core/hash.h"
#include "core/read_file.h"

#include <map>
#include <mutex>

namespace leash::cpp {

namespace fs = std::filesystem;

// 100,000 entries take about 60 MiB.
constexpr std::size_t kMaxDatabaseBytes = std::size_t{1} << 30;

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

std::vector<std::string> fallback_arguments(const fs::path &file, const CppConfig &cpp) {
  std::vector<std::string> args;
  if (file.extension() == ".c")
    args = {"-std=c17"};
  else if (is_header(file))
    args = {"-x", "c++-header", "-std=c++17"};
  else
    args = {"-std=c++17"};
  const std::vector<std::string> configured = config_arguments(cpp);
  args.insert(args.end(), configured.begin(), configured.end());
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
  if (!dir)
    return "no compilation database";
  return dir->string() + '\n' + database_text(*dir)->digest;
}

} // namespace leash::cpp
