#include "core/glob.h"

namespace leash {

namespace {

// Matches a `[...]` class at pattern[p] against c; sets `next` past the class.
bool match_class(std::string_view pattern, size_t p, char c, size_t &next) {
  size_t i = p + 1;
  const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate)
    ++i;
  bool matched = false;
  const size_t first = i;
  for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      matched |= pattern[i] <= c && c <= pattern[i + 2];
      i += 2;
    } else {
      matched |= pattern[i] == c;
    }
  }
  if (i >= pattern.size()) { // no closing bracket: a literal '['
    next = p + 1;
    return c == '[';
  }
  next = i + 1;
  return matched != negate && c != '/';
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  if (pattern.empty())
    return text.empty();
  if (pattern.starts_with("**")) {
    std::string_view rest = pattern.substr(2);
    if (rest.starts_with('/')) {
      // `**/x` matches x at this level or below any number of folders.
      rest.remove_prefix(1);
      if (glob_match(rest, text))
        return true;
      for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '/' && glob_match(rest, text.substr(i + 1)))
          return true;
      return false;
    }
    for (size_t i = 0; i <= text.size(); ++i)
      if (glob_match(rest, text.substr(i)))
        return true;
    return false;
  }
  const char p = pattern.front();
  if (p == '*') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (glob_match(pattern.substr(1), text.substr(i)))
        return true;
      if (i < text.size() && text[i] == '/')
        break;
    }
    return false;
  }
  if (text.empty())
    return false;
  if (p == '?')
    return text.front() != '/' && glob_match(pattern.substr(1), text.substr(1));
  if (p == '[') {
    size_t next = 0;
    return match_class(pattern, 0, text.front(), next) &&
           glob_match(pattern.substr(next), text.substr(1));
  }
  return p == text.front() && glob_match(pattern.substr(1), text.substr(1));
}

bool path_excluded(std::string_view pattern, std::string_view relative_path) {
  while (pattern.starts_with("./"))
    pattern.remove_prefix(2);
  while (pattern.ends_with('/'))
    pattern.remove_suffix(1);
  const bool anchored = pattern.find('/') != std::string_view::npos;
  if (pattern.starts_with('/'))
    pattern.remove_prefix(1);
  // Try the whole path and each folder above it; unanchored patterns also try each component.
  size_t start = 0;
  while (true) {
    std::string_view from = relative_path.substr(start);
    for (size_t end = 0; end <= from.size(); ++end) {
      if (end == from.size() || from[end] == '/') {
        if (glob_match(pattern, from.substr(0, end)))
          return true;
        if (!anchored)
          break; // an unanchored pattern matches one component (from `start`)
      }
    }
    if (anchored)
      return false;
    const size_t slash = relative_path.find('/', start);
    if (slash == std::string_view::npos)
      return false;
    start = slash + 1;
  }
}

} // namespace leash
