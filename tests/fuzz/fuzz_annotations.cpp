// The comment parsers: `leash: ignore[...]` suppressions (applied to a finding on every line) and
// the fixtures' `ruleid:` / `ok:` annotations, for each language's comment marker.
#include "core/suppression.h"
#include "tests/test_support.h"

#include <array>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace leash;
  static constexpr std::array<Language, 3> kLanguages = {Language::Python, Language::Yaml,
                                                         Language::Cpp};
  const Language language = kLanguages[size % kLanguages.size()]; // seeds are read as they are
  const SourceFile source("f", std::string(reinterpret_cast<const char *>(data), size));
  std::vector<Finding> findings;
  for (int line0 = 0; line0 < source.line_count(); ++line0) {
    Finding finding;
    finding.rule = line0 % 2 ? "missing-memory-limit" : "grow-only-container";
    finding.path = source.path();
    const int line = line0 + 1;
    finding.span = {{line, 1}, {line, 1 + count_characters(source.line(line0))}};
    findings.push_back(std::move(finding));
    bool comment_only = false;
    if (auto directive =
            find_ignore_directive(source.line(line0), comment_marker(language), &comment_only))
      (void)directive->covers("missing-memory-limit");
  }
  apply_suppressions(source, language, findings);
  (void)test::parse_expectations(source, language);
  return 0;
}
