#include "core/atomic_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace leash {

void write_file_atomically(const std::filesystem::path &path, std::string_view content,
                           Durability durability) {
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temp = (dir / fmt::format(".{}.XXXXXX", path.filename().string())).string();
  auto fail = [&](std::string_view what) {
    return std::runtime_error(
        fmt::format("{}: cannot {}: {}", path.string(), what, std::strerror(errno)));
  };
  const int fd = mkstemp(temp.data());
  if (fd < 0)
    throw fail("create a temporary file beside it");
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const auto error = fail("write");
      ::close(fd);
      std::remove(temp.c_str());
      throw error;
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates 0600: a file keeps its mode, a new one is an ordinary file.
  struct stat existing;
  if (::stat(path.c_str(), &existing) == 0) {
    ::fchmod(fd, existing.st_mode & 07777);
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  const int synced = durability == Durability::Synced ? ::fsync(fd) : 0;
  const int closed = ::close(fd);
  if (synced != 0 || closed != 0) {
    const auto error = fail("write");
    std::remove(temp.c_str());
    throw error;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const auto error = fail("replace");
    std::remove(temp.c_str());
    throw error;
  }
}

} // namespace leash
