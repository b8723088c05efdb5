// The time a file may take (`max_file_seconds`), so that one pathological file cannot stall a CI
// run. The scan sets a deadline on the thread that analyzes a file; front ends and checks call
// check_deadline() or poll_deadline() at points of bounded work, and it throws DeadlineExceeded
// once the deadline has passed. The scan then reports the file as not judged (an error naming the
// budget), keeping none of its partial findings.
#pragma once

#include <chrono>
#include <cstdint>

namespace leash {

// Not a std::exception: nothing may take it for an internal error.
struct DeadlineExceeded {};

// Sets the calling thread's deadline for as long as it lives (budget: none when zero).
class FileDeadline {
public:
  explicit FileDeadline(std::chrono::milliseconds budget);
  ~FileDeadline();
  FileDeadline(const FileDeadline &) = delete;
  FileDeadline &operator=(const FileDeadline &) = delete;
};

// Throws DeadlineExceeded when the thread's deadline has passed.
void check_deadline();
// The same for hot loops (a node of a syntax tree): it reads the clock on one call in 256.
void poll_deadline();

// Whether the thread has a deadline, and whether it has passed: for a parser that polls for
// cancellation itself (tree-sitter's progress callback).
bool has_deadline();
bool deadline_passed();

} // namespace leash
