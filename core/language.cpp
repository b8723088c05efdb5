#include "core/language.h"

namespace leash {

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
  // C++ translation units; headers are read through the units that include them.
  if (ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++")
    return Language::Cpp;
  return std::nullopt;
}

std::string_view comment_marker(Language language) {
  return language == Language::Cpp ? "//" : "#";
}

} // namespace leash
