#include "core/deadline.h"

#include <optional>

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
  if (deadline_passed())
    throw DeadlineExceeded{};
}

void poll_deadline() {
  if (current.at && (++current.calls & 0xFF) == 0)
    check_deadline();
}

bool has_deadline() { return current.at.has_value(); }

bool deadline_passed() { return current.at && Clock::now() >= *current.at; }

} // namespace leash
