#include "core/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace leash {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

} // namespace

std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string> &candidates) {
  const size_t allowed = std::max<size_t>(2, name.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = allowed + 1;
  for (const std::string &candidate : candidates) {
    const size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string> &candidates) {
  const auto match = closest_match(name, candidates);
  return match ? fmt::format(" (did you mean `{}`?)", *match) : std::string();
}

} // namespace leash
