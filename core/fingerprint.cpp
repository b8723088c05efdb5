#include "core/fingerprint.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>

namespace leash {

namespace {

class Fnv1a {
public:
  void add(std::string_view bytes) {
    for (char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
  }
  uint64_t value() const { return hash_; }

private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

} // namespace

void assign_fingerprints(const SourceFile &source, std::vector<Finding> &findings) {
  std::map<uint64_t, int> occurrences;
  for (Finding &finding : findings) {
    Fnv1a hash;
    hash.add(finding.rule);
    hash.add({"\0", 1});
    hash.add(finding.path);
    hash.add({"\0", 1});
    for (char c : source.line(finding.span.start.line - 1))
      if (c != ' ' && c != '\t')
        hash.add({&c, 1});
    const int occurrence = ++occurrences[hash.value()];
    finding.fingerprint = fmt::format("{:016x}:{}", hash.value(), occurrence);
  }
}

} // namespace leash
