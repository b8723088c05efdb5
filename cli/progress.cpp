#include "cli/progress.h"

#include <fmt/format.h>

#include <chrono>
#include <ostream>

namespace leash {

namespace {

constexpr auto kDelay = std::chrono::milliseconds(400); // a quick scan never shows a line
constexpr auto kPeriod = std::chrono::milliseconds(100);
constexpr size_t kWidth = 78;

} // namespace

ProgressLine::ProgressLine(ScanProgress &progress, std::ostream &err)
    : progress_(progress), err_(err), thread_([this] { run(); }) {}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (drawn_)
    err_ << "\r\x1b[K" << std::flush;
}

void ProgressLine::run() {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, kDelay, [&] { return stop_; }))
    return;
  do {
    std::string current;
    {
      std::lock_guard progress_lock(progress_.mutex);
      current = progress_.current;
    }
    std::string line = fmt::format("leash: {}/{} files", progress_.done.load(), progress_.total);
    if (!current.empty())
      line += ", parsing " + current;
    if (line.size() > kWidth) { // cut at a character's start
      size_t cut = kWidth - 3;
      while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
        --cut;
      line = line.substr(0, cut) + "...";
    }
    err_ << "\r\x1b[K" << line << std::flush;
    drawn_ = true;
  } while (!wake_.wait_for(lock, kPeriod, [&] { return stop_; }));
}

} // namespace leash
