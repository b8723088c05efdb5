#include "core/discovery.h"

#include "core/config.h"
#include "core/workspace.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <unistd.h>

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

// Whether `settings` (those of the folder `absolute` is in) exclude `absolute`.
bool excluded_by(const Settings &settings, const fs::path &absolute) {
  const auto &globs = settings.config().exclude;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PathGlob &glob) { return glob.matches(absolute); });
}

// A walk's paths shown relative to the working directory, by prefix where they are below it.
class Display {
public:
  Display() {
    std::error_code ec;
    prefix_ = fs::current_path(ec).generic_string();
    if (!prefix_.ends_with('/'))
      prefix_ += '/';
  }
  std::string operator()(const fs::path &absolute) const {
    std::string text = absolute.generic_string();
    if (text.starts_with(prefix_) && text.size() > prefix_.size())
      return text.substr(prefix_.size());
    return display_path(absolute);
  }

private:
  std::string prefix_;
};

} // namespace

bool excluded(const fs::path &path, const Workspace &workspace) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  return excluded_by(workspace.settings_for(absolute.parent_path()), absolute);
}

bool walk_reads(const fs::path &root, const fs::path &file, const Workspace &workspace) {
  // From the root down, as a walk goes: the config of a folder below an excluded one is never read.
  std::vector<fs::path> folders;
  for (fs::path dir = file.parent_path(); dir != root && dir.has_relative_path();
       dir = dir.parent_path())
    folders.push_back(dir);
  for (auto dir = folders.rbegin(); dir != folders.rend(); ++dir)
    if (skipped_folder(*dir) || excluded(*dir, workspace))
      return false;
  return !excluded(file, workspace);
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
  const Display display;
  // A walk meets a folder's files one after another: its settings are looked up once.
  fs::path folder;
  const Settings *folder_settings = nullptr;
  const auto settings_of = [&](const fs::path &parent) -> const Settings & {
    if (!folder_settings || parent != folder) {
      folder = parent;
      folder_settings = &workspace.settings_for(parent);
    }
    return *folder_settings;
  };
  // `file` absolute and normal.
  auto add = [&](const fs::path &file, bool named) {
    const auto language = language_for_path(file);
    if (!language || (!named && is_header(file)))
      return;
    const Settings &settings = settings_of(file.parent_path());
    if (!excluded_by(settings, file))
      files.push_back({file, display(file), *language, &settings, {}});
  };
  // A folder the walk cannot enter is listed as its own error (see InputFile::unreadable).
  const auto unreadable_folder = [&](const fs::path &dir, const Settings &settings) {
    if (::access(dir.c_str(), R_OK | X_OK) == 0)
      return false;
    const std::string reason = std::strerror(errno);
    files.push_back({dir, display(dir), Language::Yaml, &settings,
                     fmt::format("cannot read the folder: {}", reason)});
    return true;
  };
  for (const fs::path &given : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(given, ec);
    if (!fs::exists(status))
      throw UsageError(fmt::format("{}: no such file or folder", given.string()));
    const fs::path root = fs::absolute(given, ec).lexically_normal();
    if (!fs::is_directory(status)) {
      add(root, true);
      continue;
    }
    if (excluded(root, workspace))
      continue;
    if (unreadable_folder(root, settings_of(root)))
      continue;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec)
      throw UsageError(fmt::format("{}: cannot read folder: {}", given.string(), ec.message()));
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) // never a silently partial scan
        throw UsageError(fmt::format("{}: cannot read folder: {}", given.string(), ec.message()));
      const fs::directory_entry &entry = *it;
      if (entry.is_symlink(ec)) {
        // Links lead to loops, other trees or copies of files already read: only named ones count.
        it.disable_recursion_pending();
        continue;
      }
      if (entry.is_directory(ec)) {
        const Settings &settings = settings_of(entry.path().parent_path());
        if (skipped_folder(entry.path()) || excluded_by(settings, entry.path())) {
          it.disable_recursion_pending();
        } else if (unreadable_folder(entry.path(), settings)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      // A FIFO, device or socket named like a file leash reads is listed too: reading it reports
      // what it is rather than dropping it unseen.
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
