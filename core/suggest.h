// "Did you mean ...?" for unknown names in the command line and the config file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

// The candidate closest to `name` by edit distance, when it is close enough to be a typo.
std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string> &candidates);

// " (did you mean `x`?)" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string> &candidates);

} // namespace leash
