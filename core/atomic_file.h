// Output files are written whole or not at all: into a temporary file beside the target, flushed
// to disk, then renamed over it. A crash never leaves half a report for CI to upload.
#pragma once

#include <filesystem>
#include <string_view>

namespace leash {

enum class Durability {
  Synced,  // flushed to disk before the rename: reports, fixed source files
  Unsynced // a crash may lose it, never half of it in place: cache files (their records carry
           // checksums)
};

// Throws std::runtime_error naming the file when it cannot be written. A file that exists keeps
// its permissions.
void write_file_atomically(const std::filesystem::path &path, std::string_view content,
                           Durability durability = Durability::Synced);

} // namespace leash
