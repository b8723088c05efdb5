// Inline suppressions: `# leash: ignore[rule-a, rule-b]` (`//` in C++) on the reported line, or
// alone on the line above it. A bare `leash: ignore` suppresses every rule there.
#pragma once

#include "core/finding.h"
#include "core/language.h"
#include "core/source_file.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

struct IgnoreDirective {
  std::vector<std::string> rules; // empty: every rule
  bool covers(std::string_view rule) const;
};

// The directive in a comment on `line`, if any. `comment_only` is set when the line holds nothing
// but the comment (such a line also covers the line below it).
std::optional<IgnoreDirective> find_ignore_directive(std::string_view line, std::string_view marker,
                                                     bool *comment_only = nullptr);

// Marks the findings that a directive covers as suppressed.
void apply_suppressions(const SourceFile &source, Language language,
                        std::vector<Finding> &findings);

} // namespace leash
