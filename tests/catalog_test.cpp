// Meta-tests: the catalog is complete and consistent with the checks, fixtures and docs.
#include "core/analysis.h"
#include "core/catalog.h"
#include "report/rule_docs.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>

#include <cctype>
#include <set>

namespace leash {
namespace {

namespace fs = std::filesystem;

TEST_CASE("every rule has metadata and docs with the required headings", "[catalog]") {
  const Catalog &catalog = Catalog::builtin();
  REQUIRE(!catalog.rules().empty());
  for (const Rule &rule : catalog.rules()) {
    INFO(rule.id);
    CHECK(std::isupper(static_cast<unsigned char>(rule.name[0])));
    CHECK(rule.name.find('-') == std::string::npos);
    CHECK(rule.summary.back() == '.');
    CHECK(!rule.tags.empty());
    for (const char *heading : {"What it does", "Why is this bad?", "Example", "Use instead"})
      CHECK(!markdown_section(rule.markdown, heading).empty());
    for (const RuleOption &option : rule.options)
      CHECK(option.description.back() == '.');
  }
}

TEST_CASE("every rule is implemented and every check belongs to a known rule", "[catalog]") {
  const Catalog &catalog = Catalog::builtin();
  for (const Rule &rule : catalog.rules()) {
    INFO(rule.id);
    CHECK(!rule.languages.empty());
    // A check for each language the rule's targets name, and none for another.
    std::set<Language> registered;
    for (const CheckInfo &check : registered_checks())
      if (check.rule == rule.id)
        registered.insert(check.language);
    CHECK(registered == std::set<Language>(rule.languages.begin(), rule.languages.end()));
  }
  for (const CheckInfo &check : registered_checks()) {
    INFO(check.rule);
    CHECK(catalog.find(check.rule) != nullptr);
  }
}

TEST_CASE("every check has fixtures with a positive and a negative case", "[catalog]") {
  for (const CheckInfo &check : registered_checks()) {
    const fs::path folder =
        test::kSourceDir / "fixtures" / std::string(to_string(check.language)) / check.rule;
    INFO(folder.string());
    REQUIRE(fs::is_directory(folder));
    bool positive = false, negative = false;
    for (const auto &entry : fs::directory_iterator(folder)) {
      if (!language_for_path(entry.path()) || entry.path().filename() == kConfigFileName)
        continue;
      const SourceFile source(entry.path().string(), test::read_file(entry.path()));
      for (const auto &e : test::parse_expectations(source, check.language))
        if (e.rule == check.rule)
          (e.finding ? positive : negative) = true;
    }
    CHECK(positive);
    CHECK(negative);
  }
}

TEST_CASE("every fixture folder and annotation names a known rule", "[catalog]") {
  const Catalog &catalog = Catalog::builtin();
  for (const auto &language_dir : fs::directory_iterator(test::kSourceDir / "fixtures")) {
    const auto language = parse_language(language_dir.path().filename().string());
    if (!language)
      continue; // e.g. fixtures/errors: inputs for the error-handling tests
    for (const auto &rule_dir : fs::directory_iterator(language_dir.path())) {
      INFO(rule_dir.path().string());
      CHECK(catalog.find(rule_dir.path().filename().string()) != nullptr);
      for (const auto &entry : fs::directory_iterator(rule_dir.path())) {
        if (!language_for_path(entry.path()) || entry.path().filename() == kConfigFileName)
          continue;
        const SourceFile source(entry.path().string(), test::read_file(entry.path()));
        for (const auto &e : test::parse_expectations(source, *language)) {
          INFO(entry.path().string() << ":" << e.annotation_line);
          CHECK(catalog.find(e.rule) != nullptr);
        }
      }
    }
  }
}

TEST_CASE("docs/rules.md is generated from the catalog and up to date", "[catalog]") {
  const std::string expected = rules_reference(Catalog::builtin());
  const std::string actual = test::read_file(test::kSourceDir / "docs" / "rules.md");
  INFO("regenerate with: build/leash rules --format markdown > docs/rules.md");
  CHECK(actual == expected);
}

TEST_CASE("a broken rule file is rejected with the rule and field named", "[catalog]") {
  const std::vector<EmbeddedRule> bad_severity = {
      {"x", "id: x\nname: X\nsummary: s.\nseverity: fatal\nprecision: high\n", ""}};
  CHECK_THROWS_WITH(Catalog::parse(bad_severity), Catch::Contains("rule x: severity"));
  const std::vector<EmbeddedRule> wrong_id = {
      {"x", "id: y\nname: X\nsummary: s.\nseverity: note\nprecision: high\n", ""}};
  CHECK_THROWS_WITH(Catalog::parse(wrong_id), Catch::Contains("must match the file name"));
  const std::vector<EmbeddedRule> unknown_key = {
      {"x", "id: x\nname: X\nsumary: s.\nseverity: note\nprecision: high\n", ""}};
  CHECK_THROWS_WITH(Catalog::parse(unknown_key), Catch::Contains("unknown key `sumary`"));
}

} // namespace
} // namespace leash
