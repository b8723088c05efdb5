// Fingerprints that follow a finding when unrelated lines move: a hash of the rule, the path and
// the reported line's text (whitespace folded), plus the occurrence number among equal hashes in
// the file. Used as JSON `fingerprint` and SARIF `primaryLocationLineHash`. The hash needs the
// file's text; the number needs every finding of the file, so the two are set apart.
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <vector>

namespace leash {

// Sets `line_hash` on every finding of `source`.
void hash_lines(const SourceFile &source, std::vector<Finding> &findings);

// Sets `fingerprint` on every finding; `findings` must be sorted by path, then position.
void number_fingerprints(std::vector<Finding> &findings);

} // namespace leash
