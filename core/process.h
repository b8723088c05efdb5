// Runs a program leash trusts (git) with arguments, never through a shell, and collects what it
// prints.
#pragma once

#include <string>
#include <vector>

namespace leash {

struct ProcessResult {
  int exit_code = -1; // -1 when the program could not be started or was killed
  std::string out;
  std::string err;
};

// `argv[0]` is looked up on PATH. Standard input is /dev/null.
ProcessResult run_process(const std::vector<std::string> &argv);

} // namespace leash
