#include "tests/test_support.h"

#include "cli/app.h"
#include "core/strings.h"

#include <fstream>
#include <random>
#include <sstream>

namespace leash::test {

namespace fs = std::filesystem;

TempDir::TempDir(bool enter) : entered_(enter) {
  std::random_device random;
  path_ = fs::temp_directory_path() / ("leash-test-" + std::to_string(random()));
  fs::create_directories(path_);
  path_ = fs::canonical(path_);
  if (entered_) {
    previous_ = fs::current_path();
    fs::current_path(path_);
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  if (entered_)
    fs::current_path(previous_, ec);
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string &relative, const std::string &content) const {
  const fs::path file = path_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

CliRun run(const std::vector<std::string> &args) {
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Expectation> parse_expectations(const SourceFile &source, Language language) {
  const std::string_view marker = comment_marker(language);
  std::vector<Expectation> expectations;
  for (int i = 0; i < source.line_count(); ++i) {
    std::string_view line = trim(source.line(i));
    if (!line.starts_with(marker))
      continue;
    line = trim(line.substr(marker.size()));
    bool finding = false;
    std::string_view rules;
    for (auto [prefix, expect] :
         {std::pair{"ruleid:", true}, std::pair{"ok:", false}, std::pair{"todoruleid:", false}}) {
      if (line.starts_with(prefix)) {
        rules = line.substr(std::string_view(prefix).size());
        finding = expect;
        break;
      }
    }
    if (rules.empty())
      continue;
    int target = i + 1;
    while (target < source.line_count() &&
           (trim(source.line(target)).empty() || trim(source.line(target)).starts_with(marker)))
      ++target;
    for (std::string_view rule : split_list(rules))
      expectations.push_back({target + 1, std::string(rule), finding, i + 1});
  }
  return expectations;
}

} // namespace leash::test
