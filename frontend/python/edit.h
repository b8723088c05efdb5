// Fixes for Python calls as people write them: passing a keyword argument, in the call's own
// style (on one line, or a line of its own in a call written one argument per line), or giving an
// argument that is already passed another value.
#pragma once

#include "frontend/python/module.h"

#include <string>
#include <vector>

namespace leash::python {

// The edits that make `call` pass `value` as argument `keyword` (or at `position`, when it is
// passed there: `Queue(0)`). None when the call's arguments are not an argument list.
std::vector<Edit> set_argument(const Module &module, const Call &call, const std::string &keyword,
                               int position, const std::string &value);

} // namespace leash::python
