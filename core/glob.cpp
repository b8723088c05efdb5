#include "core/glob.h"

#include <vector>

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

namespace {

// Matches pattern[p..] against text[t..]. Each (p, t) pair is decided once, so patterns like
// `*a*a*a*b` cost O(pattern × text) instead of backtracking exponentially.
class Matcher {
public:
  Matcher(std::string_view pattern, std::string_view text)
      : pattern_(pattern), text_(text), memo_((pattern.size() + 1) * (text.size() + 1), -1) {}

  bool match(size_t p, size_t t) {
    signed char &known = memo_[p * (text_.size() + 1) + t];
    if (known < 0)
      known = decide(p, t);
    return known;
  }

private:
  bool decide(size_t p, size_t t) {
    if (p == pattern_.size())
      return t == text_.size();
    if (pattern_.substr(p).starts_with("**")) {
      if (pattern_.substr(p + 2).starts_with('/')) {
        // `**/x` matches x at this level or below any number of folders.
        if (match(p + 3, t))
          return true;
        for (size_t i = t; i < text_.size(); ++i)
          if (text_[i] == '/' && match(p + 3, i + 1))
            return true;
        return false;
      }
      for (size_t i = t; i <= text_.size(); ++i)
        if (match(p + 2, i))
          return true;
      return false;
    }
    const char c = pattern_[p];
    if (c == '*') {
      for (size_t i = t; i <= text_.size(); ++i) {
        if (match(p + 1, i))
          return true;
        if (i < text_.size() && text_[i] == '/')
          break;
      }
      return false;
    }
    if (t == text_.size())
      return false;
    if (c == '?')
      return text_[t] != '/' && match(p + 1, t + 1);
    if (c == '[') {
      size_t next = 0;
      return match_class(pattern_, p, text_[t], next) && match(next, t + 1);
    }
    return c == text_[t] && match(p + 1, t + 1);
  }

  std::string_view pattern_;
  std::string_view text_;
  std::vector<signed char> memo_;
};

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  return Matcher(pattern, text).match(0, 0);
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
