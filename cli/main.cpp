// The leash executable: see cli/app.h.
#include "cli/app.h"
#include "core/interrupt.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char **argv) {
  leash::stop_on_interrupt(); // before any thread starts
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return leash::run_cli(
      args, std::cout, std::cerr,
      {static_cast<bool>(::isatty(STDOUT_FILENO)), static_cast<bool>(::isatty(STDERR_FILENO))});
}
