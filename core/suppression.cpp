#include "core/suppression.h"

#include "core/strings.h"

#include <algorithm>

namespace leash {

bool IgnoreDirective::covers(std::string_view rule) const {
  return rules.empty() || std::find(rules.begin(), rules.end(), rule) != rules.end();
}

std::optional<IgnoreDirective> find_ignore_directive(std::string_view line, std::string_view marker,
                                                     bool *comment_only) {
  constexpr std::string_view kKeyword = "leash: ignore";
  for (size_t at = line.find(marker); at != std::string_view::npos;
       at = line.find(marker, at + marker.size())) {
    std::string_view rest = trim(line.substr(at + marker.size()));
    if (!rest.starts_with(kKeyword))
      continue;
    rest.remove_prefix(kKeyword.size());
    IgnoreDirective directive;
    if (rest.starts_with('[')) {
      const size_t close = rest.find(']');
      if (close == std::string_view::npos)
        continue;
      for (std::string_view item : split_list(rest.substr(1, close - 1)))
        directive.rules.emplace_back(item);
      if (directive.rules.empty())
        continue; // `ignore[]` names nothing: it suppresses nothing
    } else if (!rest.empty() && rest.front() != ' ') {
      continue; // e.g. `leash: ignored`
    }
    if (comment_only)
      *comment_only = trim(line.substr(0, at)).empty();
    return directive;
  }
  return std::nullopt;
}

void apply_suppressions(const SourceFile &source, Language language,
                        std::vector<Finding> &findings) {
  const std::string_view marker = comment_marker(language);
  for (Finding &finding : findings) {
    const int line0 = finding.span.start.line - 1;
    if (auto here = find_ignore_directive(source.line(line0), marker);
        here && here->covers(finding.rule)) {
      finding.suppressed = true;
      continue;
    }
    bool comment_only = false;
    if (auto above = find_ignore_directive(source.line(line0 - 1), marker, &comment_only);
        above && comment_only && above->covers(finding.rule))
      finding.suppressed = true;
  }
}

} // namespace leash
