// Which files a scan reads: the named files, and below named folders every file of a language leash
// reads, less version-control, dependency and build folders and the config's `exclude` globs.
#pragma once

#include "core/language.h"

#include <filesystem>
#include <string>
#include <vector>

namespace leash {

class Settings;
class Workspace;

struct InputFile {
  std::filesystem::path path; // absolute
  std::string display;        // relative to the working directory, '/' separators
  Language language;
  const Settings *settings = nullptr; // the settings governing the file (see core/workspace.h)
  // Set for a folder the walk could not enter (no read permission): the scan reports this as the
  // folder's error, so that nothing is skipped unseen.
  std::string unreadable;
};

// Sorted by display path, without duplicates. A C/C++ header is read only when it is named: in a
// folder, headers are read through the units that include them. A folder below that cannot be
// entered is listed with `unreadable` set. Throws UsageError for a path that does not exist.
std::vector<InputFile> discover_files(const std::vector<std::filesystem::path> &paths,
                                      const Workspace &workspace);

// Whether a scan of the folder `root` reads `file` below it (`file` is a file a scan reaches
// otherwise, such as a header a C++ unit includes): no folder on the way is one leash skips, and
// no exclude glob of the config governing each matches. Both paths absolute.
bool walk_reads(const std::filesystem::path &root, const std::filesystem::path &file,
                const Workspace &workspace);

// Whether `path` is excluded by the `exclude` globs of the config governing its folder.
bool excluded(const std::filesystem::path &path, const Workspace &workspace);

// `path` relative to the working directory, with '/' separators.
std::string display_path(const std::filesystem::path &path);

} // namespace leash
