#include "core/fingerprint.h"

#include "core/hash.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>

namespace leash {

void hash_lines(const SourceFile &source, std::vector<Finding> &findings) {
  for (Finding &finding : findings) {
    Fnv1a hash;
    hash.add(finding.rule);
    hash.add({"\0", 1});
    hash.add(finding.path);
    hash.add({"\0", 1});
    for (char c : source.line(finding.span.start.line - 1))
      if (c != ' ' && c != '\t')
        hash.add({&c, 1});
    finding.line_hash = hash.value();
  }
}

void number_fingerprints(std::vector<Finding> &findings) {
  std::map<std::pair<std::string_view, uint64_t>, int> occurrences;
  for (Finding &finding : findings) {
    const int occurrence = ++occurrences[{finding.path, finding.line_hash}];
    finding.fingerprint = fmt::format("{:016x}:{}", finding.line_hash, occurrence);
  }
}

} // namespace leash
