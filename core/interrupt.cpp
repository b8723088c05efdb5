#include "core/interrupt.h"

#include <algorithm>
#include <csignal>
#include <thread>
#include <unistd.h>
#include <vector>

namespace leash {

namespace {

std::vector<std::string> &temporary_files() {
  static std::vector<std::string> files;
  return files;
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

} // namespace

std::mutex &temporary_files_lock() {
  static std::mutex lock;
  return lock;
}

void register_temporary_file(const std::string &path) { temporary_files().push_back(path); }

void release_temporary_file(const std::string &path) {
  auto &files = temporary_files();
  files.erase(std::remove(files.begin(), files.end(), path), files.end());
}

void stop_on_interrupt() {
  const sigset_t set = stop_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0)
    return; // signals keep their default action: leash dies without cleaning up
  std::thread([set] {
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
    // Held until the end: no file is created or renamed into place from here on.
    temporary_files_lock().lock();
    for (const std::string &path : temporary_files())
      ::unlink(path.c_str());
    ::_exit(128 + signal);
  }).detach();
}

} // namespace leash
