// Small text helpers shared by the config, suppression and annotation parsers.
#pragma once

#include <set>
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

// The words of an identifier, lower-cased: `_autotracker_setup` -> autotracker, setup;
// `setUpClass` -> set, up, class.
std::vector<std::string> identifier_words(std::string_view name);

// Whether one of an identifier's words, or two adjacent ones joined (`setUp`), is one of `words`.
bool names_any_word(std::string_view name, const std::set<std::string, std::less<>> &words);

} // namespace leash
