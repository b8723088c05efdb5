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

} // namespace leash
