// `--diff REF`: only findings on lines a change added or changed are reported. The change is what
// git says lies between the merge base of REF and HEAD and the working tree: for a pull request
// `--diff origin/main`, for the staged change under pre-commit `--diff HEAD`. leash asks git for
// the diff (with no external diff or text conversion drivers) and never diffs files itself.
#pragma once

#include "core/scan.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace leash {

class ChangedLines {
public:
  // Runs git in the working directory. Throws UsageError with git's message when it fails (not a
  // git checkout, an unknown ref).
  static ChangedLines since(const std::string &ref);
  // Parses `git diff --unified=0` output; paths are made relative to the working directory from
  // `top` (the checkout's top folder).
  static ChangedLines parse(std::string_view diff, const std::string &top);

  // Whether the change added or changed any of the lines `first` to `last` of `path` (display).
  bool touches(const std::string &path, int first, int last) const;
  // Whether the change added or changed any line of `path`.
  bool touches(const std::string &path) const { return lines_.contains(path); }

private:
  std::map<std::string, std::vector<std::pair<int, int>>> lines_; // path -> [first, last] ranges
};

// Drops the findings on lines the change did not touch (counted apart), and the errors and notes
// of files it did not touch.
void apply_diff(const ChangedLines &changed, ScanResult &result);

} // namespace leash
