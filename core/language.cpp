#include "core/language.h"

#include <algorithm>
#include <array>

namespace leash {

std::vector<std::string> to_strings(const std::vector<Language> &languages) {
  std::vector<std::string> names;
  for (Language language : languages)
    names.emplace_back(to_string(language));
  return names;
}

std::string_view to_string(Language language) {
  switch (language) {
  case Language::Yaml:
    return "yaml";
  case Language::Python:
    return "python";
  case Language::Cpp:
    return "cpp";
  }
  return "yaml";
}

std::optional<Language> parse_language(std::string_view name) {
  for (Language l : {Language::Yaml, Language::Python, Language::Cpp})
    if (to_string(l) == name)
      return l;
  return std::nullopt;
}

std::optional<Language> language_for_path(const std::filesystem::path &path) {
  const std::string ext = path.extension().string();
  if (ext == ".yaml" || ext == ".yml")
    return Language::Yaml;
  if (ext == ".py" || ext == ".pyi")
    return Language::Python;
  if (ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++" || ext == ".c" ||
      is_header(path))
    return Language::Cpp;
  return std::nullopt;
}

bool is_header(const std::filesystem::path &path) {
  static const std::array<std::string_view, 8> kHeaders = {".h",   ".hh",  ".hpp", ".hxx",
                                                           ".h++", ".inl", ".ipp", ".tpp"};
  const std::string ext = path.extension().string();
  return std::find(kHeaders.begin(), kHeaders.end(), ext) != kHeaders.end();
}

std::string_view comment_marker(Language language) {
  return language == Language::Cpp ? "//" : "#";
}

} // namespace leash
