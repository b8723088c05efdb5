// Runs every rule on its annotated fixtures (fixtures/<language>/<rule>/...) and compares the
// findings with the annotations both ways: no missing finding, no extra one.
#include "core/analysis.h"
#include "core/config.h"
#include "core/discovery.h"
#include "core/scan.h"
#include "core/workspace.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

namespace leash {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> fixture_files() {
  std::vector<fs::path> files;
  for (const auto &entry : fs::recursive_directory_iterator(test::kSourceDir / "fixtures"))
    if (entry.is_regular_file() && language_for_path(entry.path()) &&
        entry.path().filename() != kConfigFileName)
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The rules a fixture's annotations name.
std::set<std::string> annotated_rules(const fs::path &file) {
  const SourceFile source(file.string(), test::read_file(file));
  std::set<std::string> rules;
  for (const auto &e : test::parse_expectations(source, *language_for_path(file)))
    rules.insert(e.rule);
  return rules;
}

// The fixture's findings with its annotated rules. It is scanned with the other fixtures of its
// language in its folder, as a folder is scanned (evidence one module gives another, such as a
// registration at import time, is seen), and only its own findings are kept.
ScanResult scan_fixture(const fs::path &file) {
  const Catalog &catalog = Catalog::builtin();
  const std::set<std::string> rules = annotated_rules(file);
  const Workspace workspace(catalog,
                            {std::vector<std::string>(rules.begin(), rules.end()), {}, {}});
  const RunContext run{workspace, {file.parent_path()}, std::nullopt, {}};
  const Language language = *language_for_path(file);
  std::vector<fs::path> folder;
  for (const auto &entry : fs::directory_iterator(file.parent_path()))
    if (entry.is_regular_file() && language_for_path(entry.path()) == language &&
        entry.path().filename() != kConfigFileName)
      folder.push_back(entry.path());
  std::sort(folder.begin(), folder.end());
  std::vector<InputFile> inputs;
  for (const fs::path &other : folder)
    inputs.push_back({other, display_path(other), language, &workspace.settings_for(other), {}});
  ScanResult result = decide(scan(inputs, run, {.jobs = 1}));
  const std::string own = display_path(file);
  std::erase_if(result.findings, [&](const Finding &f) { return f.path != own; });
  std::erase_if(result.errors, [&](const FileError &e) { return e.path != own; });
  return result;
}

// The differences between what a fixture's annotations expect and what leash reports.
std::vector<std::string> compare(const fs::path &file) {
  const auto language = *language_for_path(file);
  const SourceFile source(file.string(), test::read_file(file));
  const auto expectations = test::parse_expectations(source, language);
  const ScanResult result = scan_fixture(file);

  std::set<std::pair<int, std::string>> reported;
  for (const Finding &f : result.findings)
    if (!f.suppressed)
      reported.insert({f.span.start.line, f.rule});
  std::vector<std::string> problems;
  for (const FileError &e : result.errors)
    problems.push_back(fmt::format("unexpected error at line {}: {}", e.line, e.message));
  std::set<std::pair<int, std::string>> annotated;
  for (const auto &e : expectations) {
    const bool found = reported.count({e.line, e.rule}) > 0;
    if (e.finding && !found)
      problems.push_back(fmt::format("line {}: missing finding [{}] (annotated on line {})", e.line,
                                     e.rule, e.annotation_line));
    if (!e.finding && found)
      problems.push_back(fmt::format("line {}: unexpected finding [{}] (annotated ok on line {})",
                                     e.line, e.rule, e.annotation_line));
    annotated.insert({e.line, e.rule}); // reported above when it contradicts the annotation
  }
  for (const auto &[line, rule] : reported)
    if (!annotated.count({line, rule}))
      problems.push_back(
          fmt::format("line {}: finding [{}] that no annotation expects", line, rule));
  return problems;
}

TEST_CASE("every fixture has exactly the findings its annotations expect", "[fixtures]") {
  const auto files = fixture_files();
  REQUIRE(files.size() >= 3);
  for (const fs::path &file : files) {
    DYNAMIC_SECTION(file.lexically_relative(test::kSourceDir).string()) {
      const auto problems = compare(file);
      for (const std::string &problem : problems)
        UNSCOPED_INFO(problem);
      CHECK(problems.empty());
    }
  }
}

// What users see of each finding: `line:column-end_line:end_column severity [rule] message`, a
// line each.
std::string seen(const ScanResult &result) {
  std::string out;
  for (const Finding &f : result.findings)
    if (!f.suppressed)
      out +=
          fmt::format("{}:{}-{}:{} {} [{}] {}\n", f.span.start.line, f.span.start.column,
                      f.span.end.line, f.span.end.column, to_string(f.severity), f.rule, f.message);
  return out;
}

// Every fixture's findings as users see them are pinned in `<name>.findings` beside it (reviewed
// as ruff reviews snapshots; LEASH_UPDATE_GOLDEN=1 rewrites them): a message typo, a wrong column
// or a moved span fails here, where annotations pin only rule and line.
TEST_CASE("every fixture's messages and columns are pinned in its snapshot", "[fixtures]") {
  for (const fs::path &file : fixture_files()) {
    DYNAMIC_SECTION(file.lexically_relative(test::kSourceDir).string()) {
      const std::string actual = seen(scan_fixture(file));
      const fs::path snapshot = file.string() + ".findings";
      if (std::getenv("LEASH_UPDATE_GOLDEN"))
        std::ofstream(snapshot, std::ios::binary) << actual;
      INFO("snapshot " << snapshot.string() << " (LEASH_UPDATE_GOLDEN=1 rewrites it)");
      REQUIRE(fs::exists(snapshot));
      CHECK(actual == test::read_file(snapshot));
    }
  }
}

// `leash check --fix` on a copy of the fixture's folder (its files of the fixture's language, and
// its config; evidence one module gives another counts, as in scan_fixture), with the fixture's
// annotated rules: the fixture's edited text, and the report of a second run over the folder.
struct FixRun {
  std::string text;
  nlohmann::json again; // the JSON report of `check --fix` over the fixed text
  std::string text_again;
};

FixRun fix_fixture(const fs::path &file) {
  test::TempDir dir;
  const fs::path folder = dir.path() / file.parent_path().filename(); // a package keeps its name
  fs::create_directory(folder);
  const fs::path copy = folder / file.filename();
  for (const auto &entry : fs::directory_iterator(file.parent_path()))
    if (entry.is_regular_file() && (entry.path().filename() == kConfigFileName ||
                                    language_for_path(entry.path()) == language_for_path(file)))
      fs::copy_file(entry.path(), folder / entry.path().filename());
  std::string rules;
  for (const std::string &rule : annotated_rules(file))
    rules += (rules.empty() ? "" : ",") + rule;
  test::run({"check", folder.string(), "--fix", "--no-cache", "--select", rules, "--quiet"});
  FixRun run;
  run.text = test::read_file(copy);
  const auto again = test::run(
      {"check", folder.string(), "--fix", "--no-cache", "--select", rules, "--format", "json"});
  run.again = nlohmann::json::parse(again.out);
  run.text_again = test::read_file(copy);
  return run;
}

// Every fixture with a fixable finding has its fixed text beside it (`<name>.fixed`, reviewed as
// ruff reviews snapshots; LEASH_UPDATE_GOLDEN=1 rewrites them): fixes edit exactly that, keep
// everything else, are idempotent, and leave no fixable finding behind.
TEST_CASE("fixes give exactly the reviewed text and a fixed file scans clean", "[fixtures][fix]") {
  size_t snapshots = 0;
  for (const fs::path &file : fixture_files())
    snapshots += fs::exists(file.string() + ".fixed");
  CHECK(snapshots >= 8); // the fixable rules' fixtures
  for (const fs::path &file : fixture_files()) {
    if (language_for_path(file) == Language::Cpp)
      continue; // no C++ fixes yet: skip the parse
    DYNAMIC_SECTION(file.lexically_relative(test::kSourceDir).string()) {
      const FixRun run = fix_fixture(file);
      const fs::path snapshot = file.string() + ".fixed";
      const bool changed = run.text != test::read_file(file);
      if (std::getenv("LEASH_UPDATE_GOLDEN")) {
        if (changed)
          std::ofstream(snapshot, std::ios::binary) << run.text;
        else
          fs::remove(snapshot);
      }
      INFO("snapshot " << snapshot.string() << " (LEASH_UPDATE_GOLDEN=1 rewrites it)");
      CHECK(changed == fs::exists(snapshot));
      if (changed)
        CHECK(run.text == test::read_file(snapshot));
      CHECK(run.text_again == run.text); // idempotent
      for (const auto &finding : run.again["findings"]) {
        INFO(finding.dump());
        CHECK_FALSE(finding.contains("fix"));
      }
      CHECK(run.again["stats"]["fixed"] == 0);
    }
  }
}

TEST_CASE("the fixture runner fails on a missing and on an extra finding", "[fixtures]") {
  test::TempDir dir;
  const fs::path file = dir.write("docker-compose.yml", "services:\n"
                                                        "  # ok: missing-memory-limit\n"
                                                        "  web:\n"
                                                        "    image: nginx\n"
                                                        "  # ruleid: missing-memory-limit\n"
                                                        "  api:\n"
                                                        "    mem_limit: 1g\n");
  const auto problems = compare(file);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].find("line 3: unexpected finding") != std::string::npos);
  CHECK(problems[1].find("line 6: missing finding") != std::string::npos);
}

} // namespace
} // namespace leash
