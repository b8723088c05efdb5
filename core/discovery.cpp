#include "core/discovery.h"

#include "core/config.h"
#include "core/workspace.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace leash {

namespace fs = std::filesystem;

namespace {

// Folders never worth reading: version control, dependencies, caches and build trees.
constexpr std::array kSkippedFolders = {
    ".git",          ".hg",         ".svn",         "node_modules",  "__pycache__",
    ".venv",         "venv",        ".tox",         ".nox",          ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".leash-cache", "site-packages", "build"};

bool skipped_folder(const fs::path &dir) {
  const std::string name = dir.filename().string();
  if (std::find(kSkippedFolders.begin(), kSkippedFolders.end(), name) != kSkippedFolders.end())
    return true;
  std::error_code ec;
  return fs::exists(dir / "CMakeCache.txt", ec); // a CMake build tree under another name
}

} // namespace

bool excluded(const fs::path &path, const Workspace &workspace) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const auto &globs = workspace.settings_for(absolute.parent_path()).config().exclude;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PathGlob &glob) { return glob.matches(absolute); });
}

bool walk_reads(const fs::path &root, const fs::path &file, const Workspace &workspace) {
  if (excluded(file, workspace))
    return false;
  for (fs::path dir = file.parent_path(); dir != root && dir.has_relative_path();
       dir = dir.parent_path())
    if (skipped_folder(dir) || excluded(dir, workspace))
      return false;
  return true;
}

std::string display_path(const fs::path &path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const fs::path relative = absolute.lexically_relative(fs::current_path(ec));
  std::string text = relative.empty() ? absolute.generic_string() : relative.generic_string();
  return text.empty() ? "." : text;
}

std::vector<InputFile> discover_files(const std::vector<fs::path> &paths,
                                      const Workspace &workspace) {
  std::vector<InputFile> files;
  auto add = [&](const fs::path &file, bool named) {
    const auto language = language_for_path(file);
    if (!language || (!named && is_header(file)) || excluded(file, workspace))
      return;
    files.push_back({file, display_path(file), *language, &workspace.settings_for(file)});
  };
  for (const fs::path &root : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (!fs::exists(status))
      throw UsageError(fmt::format("{}: no such file or folder", root.string()));
    if (!fs::is_directory(status)) {
      add(root, true);
      continue;
    }
    if (excluded(root, workspace))
      continue;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec)
      throw UsageError(fmt::format("{}: cannot read folder: {}", root.string(), ec.message()));
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) // never a silently partial scan
        throw UsageError(fmt::format("{}: cannot read folder: {}", root.string(), ec.message()));
      const fs::directory_entry &entry = *it;
      if (entry.is_symlink(ec)) {
        // Links lead to loops, other trees or copies of files already read: only named ones count.
        it.disable_recursion_pending();
        continue;
      }
      if (entry.is_directory(ec)) {
        if (skipped_folder(entry.path()) || excluded(entry.path(), workspace))
          it.disable_recursion_pending();
        continue;
      }
      if (entry.is_regular_file(ec))
        add(entry.path(), false);
    }
  }
  std::sort(files.begin(), files.end(),
            [](const InputFile &a, const InputFile &b) { return a.display < b.display; });
  files.erase(
      std::unique(files.begin(), files.end(),
                  [](const InputFile &a, const InputFile &b) { return a.display == b.display; }),
      files.end());
  return files;
}

} // namespace leash
