// What a scan produces: findings at exact source spans, and per-file errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leash {

enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// 1-based line and column; columns count Unicode characters, not bytes.
struct Position {
  int line = 1;
  int column = 1;
  auto operator<=>(const Position &) const = default;
};

// A half-open range: `end` is one past the last character, as in SARIF regions.
struct Span {
  Position start;
  Position end;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::Warning;
  std::string path; // relative to the working directory, '/' separators
  Span span;
  std::string message;
  std::string fingerprint; // stable across unrelated edits; see core/fingerprint.h
  bool suppressed = false; // by an inline `leash: ignore` comment
};

// A file that could not be read or parsed (fully): reported, and the scan goes on.
struct FileError {
  std::string path;
  int line = 0; // 0 when the error is about the whole file
  int column = 0;
  std::string message;
};

} // namespace leash
