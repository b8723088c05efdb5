// What the executable and the C/C++ module it loads must agree on: the module resolves leash's
// own functions and types against the executable, so a module of another build is refused.
#pragma once

#include "core/analysis.h"
#include "leash/version.h"

#include <fmt/format.h>

#include <string>

namespace leash::cpp {

inline std::string abi_stamp() {
  return fmt::format("leash {} finding {} result {} context {} settings {} config {} run {}",
                     kVersion, sizeof(Finding), sizeof(FileResult), sizeof(CheckContext),
                     sizeof(Settings), sizeof(Config), sizeof(RunContext));
}

} // namespace leash::cpp
