// Fingerprints that follow a finding when unrelated lines move: a hash of the rule, the path and
// the reported line's text (whitespace folded), plus the occurrence number among equal hashes in
// the file. Used as JSON `fingerprint` and SARIF `primaryLocationLineHash`.
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <vector>

namespace leash {

// Sets `fingerprint` on every finding; `findings` must be in reporting order (by position).
void assign_fingerprints(const SourceFile &source, std::vector<Finding> &findings);

} // namespace leash
