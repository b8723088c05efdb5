// The languages leash reads, and what it knows about each without parsing.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace leash {

enum class Language { Yaml, Python, Cpp };

std::string_view to_string(Language language);
std::optional<Language> parse_language(std::string_view name);

// The language a file is read as, from its name; nullopt for files leash does not read.
std::optional<Language> language_for_path(const std::filesystem::path &path);

// What starts a line comment (for `leash: ignore` directives).
std::string_view comment_marker(Language language);

} // namespace leash
