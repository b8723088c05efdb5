// Ctrl-C (SIGINT) and SIGTERM stop leash at once and cleanly: the process ends with 130 or 143
// (128 + the signal), the temporary files it was writing are removed, and no report or cache file
// is left half written (they are only ever renamed into place whole; see core/atomic_file.h).
#pragma once

#include <mutex>
#include <string>

namespace leash {

// Call first in main(), before any thread starts: the two signals are blocked in every thread
// and a watcher thread waits for them (so no code of ours or of clang's runs in a signal handler).
void stop_on_interrupt();

// Temporary files to remove if leash is stopped. Hold the lock while creating and registering a
// file, and while renaming and releasing it, so the watcher never sees it half done.
std::mutex &temporary_files_lock();
void register_temporary_file(const std::string &path); // with the lock held
void release_temporary_file(const std::string &path);  // with the lock held

} // namespace leash
