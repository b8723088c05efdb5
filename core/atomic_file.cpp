#include "core/atomic_file.h"

#include "core/interrupt.h"

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
  int fd = -1;
  {
    const std::lock_guard lock(temporary_files_lock());
    fd = mkstemp(temp.data());
    if (fd >= 0)
      register_temporary_file(temp); // removed if leash is stopped before the rename
  }
  if (fd < 0)
    throw fail("create a temporary file beside it");
  auto discard = [&] {
    const std::lock_guard lock(temporary_files_lock());
    std::remove(temp.c_str());
    release_temporary_file(temp);
  };
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const auto error = fail("write");
      ::close(fd);
      discard();
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
    discard();
    throw error;
  }
  const std::lock_guard lock(temporary_files_lock());
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const auto error = fail("replace");
    std::remove(temp.c_str());
    release_temporary_file(temp);
    throw error;
  }
  release_temporary_file(temp);
}

} // namespace leash
