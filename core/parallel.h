// Runs `work(i)` for every i below `count` on up to `jobs` threads (the calling one when one
// suffices), each thread taking the next index when it is done with one.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace leash {

template <class Work> void parallel_for(std::size_t count, int jobs, Work &&work) {
  std::atomic<std::size_t> next{0};
  const auto run = [&] {
    for (std::size_t i = next++; i < count; i = next++)
      work(i);
  };
  const std::size_t threads =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), count);
  if (threads <= 1) {
    run();
    return;
  }
  std::vector<std::jthread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back(run);
}

} // namespace leash
