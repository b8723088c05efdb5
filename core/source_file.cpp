#include "core/source_file.h"

#include <algorithm>

namespace leash {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  if (text_.starts_with("\xEF\xBB\xBF"))
    text_.erase(0, 3);
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n' && i + 1 < text_.size())
      line_starts_.push_back(i + 1);
}

size_t SourceFile::line_offset(int line0) const {
  if (line0 < 0)
    return 0;
  if (line0 >= line_count())
    return text_.size();
  return line_starts_[line0];
}

std::string_view SourceFile::line(int line0) const {
  if (line0 < 0 || line0 >= line_count())
    return {};
  std::string_view rest = std::string_view(text_).substr(line_starts_[line0]);
  std::string_view text = rest.substr(0, rest.find('\n'));
  if (text.ends_with('\r'))
    text.remove_suffix(1);
  return text;
}

namespace {

// The bytes of the UTF-8 character that `bytes` starts with (1 for an invalid byte).
size_t character_length(std::string_view bytes) {
  const unsigned char c = static_cast<unsigned char>(bytes[0]);
  size_t length = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 1;
  if (length > bytes.size())
    return 1;
  for (size_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(bytes[k]) & 0xC0) != 0x80)
      return 1;
  return length;
}

} // namespace

int count_characters(std::string_view bytes) {
  int count = 0;
  for (size_t i = 0; i < bytes.size(); i += character_length(bytes.substr(i)))
    ++count;
  return count;
}

size_t first_invalid_utf8(std::string_view bytes) {
  const auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char c = at(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The length, and the range of the second byte (which rules out overlongs and surrogates).
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      length = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      low = c == 0xE0 ? 0xA0 : 0x80;
      high = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      low = c == 0xF0 ? 0x90 : 0x80;
      high = c == 0xF4 ? 0x8F : 0xBF;
    }
    if (length == 0 || i + length > bytes.size() || at(i + 1) < low || at(i + 1) > high)
      return i;
    for (size_t k = 2; k < length; ++k)
      if ((at(i + k) & 0xC0) != 0x80)
        return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string_view SourceFile::newline() const {
  const size_t end = text_.find('\n');
  return end != std::string::npos && end > 0 && text_[end - 1] == '\r' ? "\r\n" : "\n";
}

size_t SourceFile::offset_of(Position at) const {
  if (at.line > line_count())
    return text_.size(); // the line after the last: the end of the file
  const int line0 = std::max(at.line - 1, 0);
  const std::string_view text = line(line0);
  size_t byte = 0;
  for (int column = 1; column < at.column && byte < text.size(); ++column)
    byte += character_length(text.substr(byte));
  return line_offset(line0) + byte;
}

Position SourceFile::position(int line0, int byte_column) const {
  line0 = std::clamp(line0, 0, line_count() - 1);
  std::string_view text = line(line0);
  const size_t bytes = std::min(text.size(), static_cast<size_t>(std::max(byte_column, 0)));
  return {line0 + 1, count_characters(text.substr(0, bytes)) + 1};
}

} // namespace leash
