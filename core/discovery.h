// Which files a scan reads: the named files, and below named folders every file of a language leash
// reads, less version-control, dependency and build folders and the config's `exclude` globs.
#pragma once

#include "core/language.h"

#include <filesystem>
#include <string>
#include <vector>

namespace leash {

struct InputFile {
  std::filesystem::path path; // as found (absolute or relative to the working directory)
  std::string display;        // relative to the working directory, '/' separators
  Language language;
};

struct DiscoveryOptions {
  std::filesystem::path exclude_root; // exclude globs are relative to this folder
  std::vector<std::string> exclude;
};

// Sorted by display path, without duplicates. Throws UsageError for a path that does not exist.
std::vector<InputFile> discover_files(const std::vector<std::filesystem::path> &paths,
                                      const DiscoveryOptions &options);

// Whether a scan of the folder `root` reads `file` below it (`file` is a file a scan reaches
// otherwise, such as a header a C++ unit includes): no folder on the way is one leash skips, and
// no exclude glob matches. Both paths absolute.
bool walk_reads(const std::filesystem::path &root, const std::filesystem::path &file,
                const DiscoveryOptions &options);

// `path` relative to the working directory, with '/' separators.
std::string display_path(const std::filesystem::path &path);

} // namespace leash
