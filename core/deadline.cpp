#include "core/deadline.h"

namespace leash {

namespace {

using Clock = std::chrono::steady_clock;

struct ThreadDeadline {
  std::optional<Clock::time_point> at;
  unsigned calls = 0;
};

thread_local ThreadDeadline current;

} // namespace

FileDeadline::FileDeadline(std::chrono::milliseconds budget) {
  current.at = budget.count() > 0 ? std::optional(Clock::now() + budget) : std::nullopt;
  current.calls = 0;
}

FileDeadline::~FileDeadline() { current.at.reset(); }

void check_deadline() {
  if (current.at && Clock::now() >= *current.at)
    throw DeadlineExceeded{};
}

void poll_deadline() {
  if (current.at && (++current.calls & 0xFF) == 0)
    check_deadline();
}

std::optional<uint64_t> micros_to_deadline() {
  if (!current.at)
    return std::nullopt;
  const auto left =
      std::chrono::duration_cast<std::chrono::microseconds>(*current.at - Clock::now()).count();
  return static_cast<uint64_t>(left > 0 ? left : 1);
}

} // namespace leash
