#include "core/discovery.h"

#include "core/config.h"
#include "core/glob.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace leash {

namespace fs = std::filesystem;

namespace {

// Folders never worth reading: version control, dependencies, caches and build trees.
constexpr std::array kSkippedFolders = {
    ".git", ".hg",  ".svn",        "node_modules",  "__pycache__", ".venv",         "venv",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "build"};

bool skipped_folder(const fs::path &dir) {
  const std::string name = dir.filename().string();
  if (std::find(kSkippedFolders.begin(), kSkippedFolders.end(), name) != kSkippedFolders.end())
    return true;
  std::error_code ec;
  return fs::exists(dir / "CMakeCache.txt", ec); // a CMake build tree under another name
}

class Excluder {
public:
  explicit Excluder(const DiscoveryOptions &options) : options_(options) {}

  bool excluded(const fs::path &path) const {
    if (options_.exclude.empty())
      return false;
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec).lexically_normal();
    const std::string relative =
        absolute.lexically_relative(options_.exclude_root.lexically_normal()).generic_string();
    if (relative.empty() || relative.starts_with(".."))
      return false;
    return std::any_of(options_.exclude.begin(), options_.exclude.end(),
                       [&](const std::string &glob) { return path_excluded(glob, relative); });
  }

private:
  const DiscoveryOptions &options_;
};

} // namespace

bool walk_reads(const fs::path &root, const fs::path &file, const DiscoveryOptions &options) {
  const Excluder excluder(options);
  if (excluder.excluded(file))
    return false;
  for (fs::path dir = file.parent_path(); dir != root && dir.has_relative_path();
       dir = dir.parent_path())
    if (skipped_folder(dir) || excluder.excluded(dir))
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
                                      const DiscoveryOptions &options) {
  const Excluder excluder(options);
  std::vector<InputFile> files;
  auto add = [&](const fs::path &file) {
    if (auto language = language_for_path(file); language && !excluder.excluded(file))
      files.push_back({file, display_path(file), *language});
  };
  for (const fs::path &root : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (!fs::exists(status))
      throw UsageError(fmt::format("{}: no such file or folder", root.string()));
    if (!fs::is_directory(status)) {
      add(root);
      continue;
    }
    if (excluder.excluded(root))
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
        if (skipped_folder(entry.path()) || excluder.excluded(entry.path()))
          it.disable_recursion_pending();
        continue;
      }
      if (entry.is_regular_file(ec))
        add(entry.path());
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
