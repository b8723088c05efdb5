#include "core/strings.h"

namespace leash {

std::string_view trim(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r");
  if (start == std::string_view::npos)
    return {};
  return text.substr(start, text.find_last_not_of(" \t\r") - start + 1);
}

std::string with_callee(std::string message, std::string_view callee) {
  constexpr std::string_view kPlaceholder = "{callee}";
  for (size_t at = message.find(kPlaceholder); at != std::string::npos;
       at = message.find(kPlaceholder, at + callee.size()))
    message.replace(at, kPlaceholder.size(), callee);
  return message;
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  while (!text.empty()) {
    const size_t at = text.find(separator);
    if (const std::string_view item = trim(text.substr(0, at)); !item.empty())
      items.push_back(item);
    text = at == std::string_view::npos ? std::string_view() : text.substr(at + 1);
  }
  return items;
}

std::vector<std::string> identifier_words(std::string_view name) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = c >= 'A' && c <= 'Z';
    if (c == '_' || (upper && i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z'))
      words.emplace_back();
    if (c != '_')
      words.back() += upper ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::erase(words, std::string());
  return words;
}

bool names_any_word(std::string_view name, const std::set<std::string, std::less<>> &words) {
  const std::vector<std::string> parts = identifier_words(name);
  for (size_t i = 0; i < parts.size(); ++i)
    if (words.contains(parts[i]) ||
        (i + 1 < parts.size() && words.contains(parts[i] + parts[i + 1])))
      return true;
  return false;
}

} // namespace leash
