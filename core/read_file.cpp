#include "core/read_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace leash {

std::optional<ReadFailure> read_regular_file(const std::filesystem::path &path, std::size_t limit,
                                             std::string &text) {
  const auto failure = [](std::string message, bool too_large = false) {
    return std::optional<ReadFailure>(ReadFailure{std::move(message), too_large});
  };
  const auto system_error = [&] {
    return failure(fmt::format("cannot read the file: {}", std::strerror(errno)));
  };
  text.clear();
  // Opened without blocking and checked before reading: a FIFO would otherwise wait for a writer
  // forever, a device read forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return system_error();
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info;
  if (::fstat(fd, &info) != 0)
    return system_error();
  if (!S_ISREG(info.st_mode))
    return failure("not a regular file (a FIFO, a device or a socket): not read");
  const auto too_large = [&] {
    return failure(fmt::format("file is larger than the {} MiB leash reads", limit >> 20), true);
  };
  if (static_cast<uint64_t>(info.st_size) > limit)
    return too_large();
  text.reserve(static_cast<size_t>(info.st_size));
  // Read in chunks, at most one past the limit: a file that grows while it is read stops there.
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n < 0)
      return system_error();
    if (n == 0)
      return std::nullopt;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > limit)
      return too_large();
  }
}

} // namespace leash
