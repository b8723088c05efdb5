// The command line: `leash check|merge|rules|explain|version`. Separate from main() so tests can
// run it in-process with their own streams.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace leash {

// Exit codes: 0 clean, 1 findings or files that could not be analyzed, 2 usage, config or
// internal error.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

struct Terminal {
  bool stdout_is_tty = false;
  bool stderr_is_tty = false; // a progress line may be drawn there
};

int run_cli(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
            const Terminal &terminal = {});

} // namespace leash
