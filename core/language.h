// The languages leash reads, and what it knows about each without parsing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

enum class Language { Yaml, Python, Cpp };

std::string_view to_string(Language language);
std::optional<Language> parse_language(std::string_view name);
// Their names, in order (`{"python", "cpp"}`).
std::vector<std::string> to_strings(const std::vector<Language> &languages);

// The language a file is read as, from its name; nullopt for files leash does not read. C and C++
// sources and headers are all `Cpp` (clang reads each as what it is).
std::optional<Language> language_for_path(const std::filesystem::path &path);

// A C or C++ header (`.h`, `.hpp`, ...): read through the units that include it, or on its own
// when named (as pre-commit names a changed header).
bool is_header(const std::filesystem::path &path);

// What starts a line comment (for `leash: ignore` directives).
std::string_view comment_marker(Language language);

} // namespace leash
