// A progress line on a terminal's stderr, redrawn in place while a scan runs: files done of the
// total and the C++ unit being parsed. It shows only when the scan takes more than a moment, and
// is erased before the report is written.
#pragma once

#include "core/scan.h"

#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <thread>

namespace leash {

class ProgressLine {
public:
  ProgressLine(ScanProgress &progress, std::ostream &err);
  ~ProgressLine(); // stops and erases the line

private:
  void run();

  ScanProgress &progress_;
  std::ostream &err_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

} // namespace leash
