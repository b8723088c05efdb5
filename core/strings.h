// Small text helpers shared by the config, suppression and annotation parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leash {

// `text` without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view text);

// A rule message from its template: every "{callee}" replaced by `callee`.
std::string with_callee(std::string message, std::string_view callee);

// "a, b ,c" -> {"a", "b", "c"}; empty items are dropped.
std::vector<std::string_view> split_list(std::string_view text, char separator = ',');

} // namespace leash
