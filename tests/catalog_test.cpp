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
  const std::vector<EmbeddedRule> opt_in = {
      {"x", "id: x\nname: X\nsummary: s.\nseverity: note\nprecision: low\nopt_in: yes\n", ""}};
  CHECK_THROWS_WITH(Catalog::parse(opt_in),
                    Catch::Contains("rule x: `opt_in` must be true or false"));
}

TEST_CASE("the catalog compiled at build time is the catalog rules/ parses to", "[catalog]") {
  // What a run reads (Catalog::builtin, from the data the build wrote) against the YAML parsed now.
  const Catalog parsed = Catalog::parse(embedded_rules());
  const Catalog &built = Catalog::builtin();
  CHECK(built.to_data() == parsed.to_data());
  REQUIRE(built.rules().size() == parsed.rules().size());
  for (size_t i = 0; i < parsed.rules().size(); ++i) {
    CHECK(built.rules()[i].markdown == parsed.rules()[i].markdown);
    CHECK(built.rules()[i].languages == parsed.rules()[i].languages);
  }

  // Every field there is survives the trip, marks included.
  const std::vector<EmbeddedRule> one = {
      {"x",
       "id: x\nname: X\nsummary: s.\nseverity: note\nprecision: low\nopt_in: true\n"
       "tags: [a, b]\noptions:\n  depth: {default: [1, 2], description: d.}\n"
       "opt_in_languages: [cpp]\n"
       "targets:\n  cpp: {names: [f]}\n  python:\n    calls: {m.f: [timeout]}\n",
       "# X\n"}};
  const Catalog source = Catalog::parse(one);
  const std::vector<std::uint8_t> data = source.to_data();
  const Catalog back = Catalog::from_data(data.data(), data.size(), one);
  REQUIRE(back.rules().size() == 1);
  const Rule &rule = back.rules()[0];
  CHECK(rule.id == "x");
  CHECK(rule.name == "X");
  CHECK(rule.summary == "s.");
  CHECK(rule.severity == Severity::Note);
  CHECK(rule.precision == "low");
  CHECK(rule.opt_in);
  CHECK(rule.tags == std::vector<std::string>{"a", "b"});
  REQUIRE(rule.options.size() == 1);
  CHECK(rule.options[0].name == "depth");
  CHECK(rule.options[0].default_value == nlohmann::json::array({1, 2}));
  CHECK(rule.options[0].description == "d.");
  CHECK(rule.languages == std::vector<Language>{Language::Python, Language::Cpp});
  CHECK(rule.opt_in_languages == std::vector<Language>{Language::Cpp});
  CHECK(rule.targets.at(Language::Python).value ==
        nlohmann::json::parse(R"({"calls": {"m.f": ["timeout"]}})"));
  CHECK(rule.targets.at(Language::Python).marks ==
        source.rules()[0].targets.at(Language::Python).marks);
  CHECK(rule.targets.at(Language::Python).marks.at("/calls/m.f/0").line == 14);
  CHECK(rule.markdown == "# X\n");
}

// The error reading rules/<id>.yaml's targets after `from` is replaced by `to` in its text.
std::string targets_error(const std::string &id, const std::string &from, const std::string &to) {
  for (const EmbeddedRule &embedded : embedded_rules()) {
    if (embedded.id != id)
      continue;
    std::string yaml = embedded.yaml;
    const size_t at = yaml.find(from);
    if (at == std::string::npos)
      return "`" + from + "` is not in the rule";
    yaml.replace(at, from.size(), to);
    try {
      validate_catalog(Catalog::parse({{embedded.id, yaml.c_str(), embedded.markdown}}));
    } catch (const CatalogError &e) {
      return e.what();
    }
    return "no error";
  }
  return "no rule " + id;
}

TEST_CASE("a rule's opt-in languages are languages it has a check for", "[catalog]") {
  // An opt-in language is one the rule has a check for.
  CHECK(targets_error("grow-only-container", "opt_in_languages: [cpp]",
                      "opt_in_languages: [cpp, yaml]") ==
        "rules/grow-only-container.yaml:10:25: `opt_in_languages` names `yaml`, which the rule has "
        "no targets for");
  CHECK(targets_error("grow-only-container", "opt_in_languages: [cpp]", "opt_in_languages: cpp") ==
        "rules/grow-only-container.yaml:10:19: `opt_in_languages` must list languages");
  CHECK(targets_error("grow-only-container", "opt_in_languages: [cpp]",
                      "opt_in_languages: [cpp, cpp]") ==
        "rules/grow-only-container.yaml:10:25: `opt_in_languages` names `cpp` twice");
  CHECK(targets_error("grow-only-container", "opt_in_languages: [cpp]",
                      "opt_in_languages: [[cpp]]") ==
        "rules/grow-only-container.yaml:10:20: `opt_in_languages` must list languages");
}

TEST_CASE("a mistake in a rule's targets is an error at its line with the closest name",
          "[catalog]") {
  // Each engine's parser is its schema: a typo'd key, a wrong type, a missing key, an unknown
  // value, a combination the engine cannot honour.
  CHECK(targets_error("unbounded-queue", "      require:", "      requires:") ==
        "rules/unbounded-queue.yaml:23:7: unknown key `requires` (did you mean `require`?)");
  CHECK(
      targets_error("unbounded-queue", "        - keyword: maxsize", "        - keywrd: maxsize") ==
      "rules/unbounded-queue.yaml:24:11: unknown key `keywrd` (did you mean `keyword`?)");
  CHECK(targets_error("unbounded-queue", "unset: [none, nonpositive]", "unset: [none, negative]") ==
        "rules/unbounded-queue.yaml:26:25: unknown value `negative`");
  CHECK(targets_error("unbounded-queue", "    - callees: [queue.SimpleQueue]",
                      "    - callees: queue.SimpleQueue") ==
        "rules/unbounded-queue.yaml:31:16: expected a list, not a string");
  CHECK(targets_error("unbounded-queue", "      message: >-\n        queue.SimpleQueue",
                      "      mesage: >-\n        queue.SimpleQueue") ==
        "rules/unbounded-queue.yaml:32:7: unknown key `mesage` (did you mean `message`?)");
  CHECK(targets_error("unbounded-queue", "          position: 0\n", "") ==
        "no error"); // a keyword alone is a condition
  CHECK(targets_error("unbounded-queue", "        - keyword: maxsize\n          position: 0\n",
                      "        - position: 0\n") ==
        "rules/unbounded-queue.yaml:24:11: a condition is one of `keyword`, `string_contains`, "
        "`first_string_startswith` and `dict_key`");
  CHECK(targets_error("unbounded-queue",
                      "      fix: {keyword: maxsize, position: 0, option: "
                      "fix-maxsize}",
                      "      fix: {keyword: maxsize, option: fix-maxsiz}") ==
        "rules/unbounded-queue.yaml:30:39: rule unbounded-queue has no option `fix-maxsiz` (did "
        "you mean `fix-maxsize`?)");
  CHECK(targets_error("unbounded-queue",
                      "      fix: {keyword: maxsize, position: 0, option: "
                      "fix-maxsize}",
                      "      forbid: [{keyword: maxsize, equals: 0}]") ==
        "rules/unbounded-queue.yaml:13:7: an entry decides by one of `require`, `forbid` and "
        "`context`, not several: write two entries");
  CHECK(targets_error("unpooled-redis-client", "context: [loop, route_handler]",
                      "context: [loop, route_handlers]") ==
        "rules/unpooled-redis-client.yaml:37:23: unknown value `route_handlers` (did you mean "
        "`route_handler`?)");
  CHECK(targets_error("missing-command-timeout", "\"::PQconnectdb\"", "\"PQconnectdb\"") ==
        "rules/missing-command-timeout.yaml:68:17: `PQconnectdb` is not a fully qualified name: "
        "write ::PQconnectdb");
  CHECK(targets_error("missing-socket-timeout", "      option: socket_timeout\n", "") ==
        "rules/missing-socket-timeout.yaml:80:7: `option` is missing");
  CHECK(targets_error("missing-memory-limit", "kubernetes: [resources.limits.memory]",
                      "kubernetes: resources.limits.memory") ==
        "rules/missing-memory-limit.yaml:17:17: expected a list, not a string");
  CHECK(targets_error("redis-missing-maxmemory", "    flag: --maxmemory\n", "") ==
        "rules/redis-missing-maxmemory.yaml:16:5: `flag` is missing");
  CHECK(targets_error("grow-only-container", "builtins.list: list", "builtins.list: lst") ==
        "rules/grow-only-container.yaml:33:22: unknown value `lst` (did you mean `list`?)");
}

} // namespace
} // namespace leash
