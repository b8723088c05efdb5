// Applying fixes (`leash check --fix`): the edits of several findings' fixes in one file's text.
// A fix whose edits overlap, or insert at the same place as, an edit already taken waits for the
// next round, as ruff does: the caller scans the fixed file again and applies what remains.
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <string>
#include <vector>

namespace leash {

struct Fixed {
  std::string text;
  size_t applied = 0; // fixes applied
};

// `fixes` belong to findings in `source`.
Fixed apply_fixes(const SourceFile &source, const std::vector<const Fix *> &fixes);

} // namespace leash
