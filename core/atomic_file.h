// Output files are written whole or not at all: into a temporary file beside the target, flushed
// to disk, then renamed over it. A crash never leaves half a report for CI to upload.
#pragma once

#include <filesystem>
#include <string_view>

namespace leash {

// Throws std::runtime_error naming the file when it cannot be written.
void write_file_atomically(const std::filesystem::path &path, std::string_view content);

} // namespace leash
