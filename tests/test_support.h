// Helpers shared by the tests: temporary folders, running the CLI in-process, fixture annotations.
#pragma once

#include "core/language.h"
#include "core/source_file.h"

#include <filesystem>
#include <string>
#include <vector>

namespace leash::test {

inline const std::filesystem::path kSourceDir = LEASH_SOURCE_DIR;

// A fresh folder under the system temp dir, removed at the end of the test. While `enter` is set,
// it is also the working directory (leash reports paths relative to it).
class TempDir {
public:
  explicit TempDir(bool enter = true);
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::filesystem::path &path() const { return path_; }
  // Writes `content` to `relative` (creating folders) and returns its full path.
  std::filesystem::path write(const std::string &relative, const std::string &content) const;

private:
  std::filesystem::path path_;
  std::filesystem::path previous_;
  bool entered_;
};

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};
CliRun run(const std::vector<std::string> &args);

std::string read_file(const std::filesystem::path &path);

// semgrep-style expectations: `# ruleid: a, b` (`//` in C++) says the next code line has a finding
// of each rule; `# ok: a` says it has none; `# todoruleid: a` marks a known miss (expected absent).
struct Expectation {
  int line; // 1-based line the annotation applies to
  std::string rule;
  bool finding; // ruleid: true; ok / todoruleid: false
  int annotation_line;
};
std::vector<Expectation> parse_expectations(const SourceFile &source, Language language);

} // namespace leash::test
