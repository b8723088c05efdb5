// What a scan produces: findings at exact source spans, and per-file errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// One edit of a fix: the text in `range` (of the finding's file) becomes `text`. An empty range
// inserts.
struct Edit {
  Span range;
  std::string text;
};

// A mechanical fix for a finding: SARIF `fixes`, and what `leash check --fix` applies.
struct Fix {
  std::string description; // "add command_timeout=30"
  std::vector<Edit> edits; // in the finding's file, not overlapping
};

struct Finding {
  std::string rule;
  Severity severity = Severity::Warning;
  std::string path; // relative to the working directory, '/' separators
  Span span;
  std::string message;
  std::optional<Fix> fix;
  // A check may report a finding below its rule's severity (a default that is long, not absent):
  // whatever the settings make the rule, this one is at most this.
  std::optional<Severity> at_most;
  uint64_t line_hash = 0;  // of the rule, path and reported line (see core/fingerprint.h)
  std::string fingerprint; // stable across unrelated edits; see core/fingerprint.h
  bool suppressed = false; // by an inline `leash: ignore` comment
  bool baseline = false;   // its fingerprint is in the --baseline report
};

// A file that could not be read or parsed (fully): reported, and the scan goes on.
struct FileError {
  std::string path;
  int line = 0; // 0 when the error is about the whole file
  int column = 0;
  std::string message;
};

} // namespace leash
