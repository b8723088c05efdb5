// `leash check` and `leash merge`: a scan (or shard reports) through the report filters
// (baseline, diff) into the requested reports, and the exit code CI reads.
#pragma once

#include "cli/app.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace leash {

int run_check(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
              const Terminal &terminal);
int run_merge(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
              const Terminal &terminal);

// The usage text of `leash --help`.
extern const char *const kUsage;

} // namespace leash
