// Reading a file that comes from the scanned repository (a source, `.leash.yaml`, a compilation
// database, a report handed back): only a regular file, opened so that a FIFO or a device in its
// place cannot block or stream forever, and never more than a stated number of bytes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace leash {

// What leash reads of its own reports handed back (`--baseline`, `leash merge`): 25,000 SARIF
// results take about 50 MiB.
inline constexpr std::size_t kMaxReportBytes = std::size_t{1} << 30;

struct ReadFailure {
  std::string message; // "cannot read the file: ...", "not a regular file ...", "larger than ..."
  bool too_large = false;
};

// Reads `path` whole into `text` (replacing it); on failure says why, and `text` is unspecified.
// A file that grows past `limit` while it is read fails as too large.
std::optional<ReadFailure> read_regular_file(const std::filesystem::path &path, std::size_t limit,
                                             std::string &text);

} // namespace leash
