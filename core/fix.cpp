#include "core/fix.h"

#include <algorithm>

namespace leash {

Fixed apply_fixes(const SourceFile &source, const std::vector<const Fix *> &fixes) {
  struct Change {
    size_t begin, end;
    const std::string *text;
  };
  std::vector<Change> taken;
  // Two edits clash when they overlap, or when one inserts at the edge of (or inside) the other:
  // which goes first is then unknown.
  const auto clash = [](const Change &a, const Change &b) {
    if (a.begin < b.end && b.begin < a.end)
      return true;
    return (a.begin == a.end && b.begin <= a.begin && a.begin <= b.end) ||
           (b.begin == b.end && a.begin <= b.begin && b.begin <= a.end);
  };
  const auto clashes = [&](const Change &c) {
    return std::any_of(taken.begin(), taken.end(), [&](const Change &t) { return clash(c, t); });
  };
  Fixed fixed;
  for (const Fix *fix : fixes) {
    std::vector<Change> changes;
    for (const Edit &edit : fix->edits)
      changes.push_back(
          {source.offset_of(edit.range.start), source.offset_of(edit.range.end), &edit.text});
    const bool valid = std::all_of(changes.begin(), changes.end(),
                                   [](const Change &c) { return c.begin <= c.end; });
    if (!valid || std::any_of(changes.begin(), changes.end(), clashes))
      continue;
    taken.insert(taken.end(), changes.begin(), changes.end());
    ++fixed.applied;
  }
  std::sort(taken.begin(), taken.end(),
            [](const Change &a, const Change &b) { return a.begin < b.begin; });
  const std::string_view text = source.text();
  size_t at = 0;
  for (const Change &change : taken) {
    fixed.text.append(text.substr(at, change.begin - at));
    fixed.text += *change.text;
    at = change.end;
  }
  fixed.text.append(text.substr(at));
  return fixed;
}

} // namespace leash
