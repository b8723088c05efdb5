// Small text helpers shared by the config, suppression and annotation parsers.
#pragma once

#include <string_view>
#include <vector>

namespace leash {

// `text` without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view text);

// "a, b ,c" -> {"a", "b", "c"}; empty items are dropped.
std::vector<std::string_view> split_list(std::string_view text, char separator = ',');

} // namespace leash
