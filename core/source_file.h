// A file's text with a line index: turns byte offsets from the parsers into 1-based character
// positions, and gives the text of a line (for suppressions and fingerprints).
#pragma once

#include "core/finding.h"

#include <string>
#include <string_view>
#include <vector>

namespace leash {

class SourceFile {
public:
  // `path` is the display path (relative, '/' separators). A UTF-8 byte order mark is dropped, so
  // the first character of the file is at column 1.
  SourceFile(std::string path, std::string text);

  const std::string &path() const { return path_; }
  std::string_view text() const { return text_; }
  int line_count() const { return static_cast<int>(line_starts_.size()); }

  // The text of 0-based line `line0` without its line break ("\n" or "\r\n").
  std::string_view line(int line0) const;

  // The 1-based position of byte `byte_column` on 0-based line `line0`. Columns count UTF-8
  // characters; a byte that is not valid UTF-8 counts as one character. Clamped to the line.
  Position position(int line0, int byte_column) const;

  // The byte offset of the start of line `line0` in text().
  size_t line_offset(int line0) const;

  // The file's line break ("\r\n" when its first line ends so, else "\n"), for inserted lines.
  std::string_view newline() const;

  // The byte offset in text() of a 1-based position (the inverse of position()); a column past
  // the end of its line gives the line's end.
  size_t offset_of(Position at) const;

private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

// The number of characters in `bytes` (UTF-8; invalid bytes count one each).
int count_characters(std::string_view bytes);

// The offset of the first byte of `bytes` that is not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos when all of it is.
size_t first_invalid_utf8(std::string_view bytes);

} // namespace leash
