// The core: globs, suppressions, fingerprints, positions and the config file.
#include "core/config.h"
#include "core/fingerprint.h"
#include "core/glob.h"
#include "core/scan.h"
#include "core/settings.h"
#include "core/source_file.h"
#include "core/suppression.h"
#include "core/workspace.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>

namespace leash {
namespace {

TEST_CASE("exclude globs match like gitignore", "[glob]") {
  CHECK(path_excluded("vendor", "vendor/a/b.yaml"));
  CHECK(path_excluded("vendor", "deploy/vendor/b.yaml"));
  CHECK_FALSE(path_excluded("vendor", "vendors/b.yaml"));
  CHECK(path_excluded("*.gen.yaml", "a/b/x.gen.yaml"));
  CHECK(path_excluded("charts/*/templates", "charts/api/templates/d.yaml"));
  CHECK_FALSE(path_excluded("charts/*/templates", "x/charts/api/templates/d.yaml"));
  CHECK(path_excluded("**/templates/**", "x/charts/api/templates/d.yaml"));
  CHECK(path_excluded("/deploy/", "deploy/k.yaml"));
  CHECK(path_excluded("k8s/[ab]*.yaml", "k8s/api.yaml"));
  CHECK_FALSE(path_excluded("k8s/[!ab]*.yaml", "k8s/api.yaml"));
  CHECK(glob_match("a?c", "abc"));
  CHECK_FALSE(glob_match("a*c", "a/c"));
  CHECK(glob_match("a/**/c", "a/c"));
  CHECK(glob_match("a/**/c", "a/x/y/c"));
  // Backtracking-heavy patterns finish at once (each position pair is decided once).
  CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
  CHECK_FALSE(glob_match("**a**a**a**a**a**b", std::string(200, 'a')));
}

TEST_CASE("ignore directives are read from comments", "[suppression]") {
  bool comment_only = false;
  auto d =
      find_ignore_directive("  web:  # leash: ignore[missing-memory-limit, x]", "#", &comment_only);
  REQUIRE(d);
  CHECK_FALSE(comment_only);
  CHECK(d->covers("missing-memory-limit"));
  CHECK(d->covers("x"));
  CHECK_FALSE(d->covers("y"));
  d = find_ignore_directive("  # leash: ignore", "#", &comment_only);
  REQUIRE(d);
  CHECK(comment_only);
  CHECK(d->covers("anything"));
  CHECK_FALSE(find_ignore_directive("# leash: ignored", "#"));
  CHECK_FALSE(find_ignore_directive("# leash: ignore[]", "#"));
  CHECK_FALSE(find_ignore_directive("x = 1 // leash: ignore", "#"));
  CHECK(find_ignore_directive("x = 1; // leash: ignore[a]", "//"));
}

Finding finding_at(int line, std::string rule = "missing-memory-limit") {
  Finding f;
  f.rule = std::move(rule);
  f.path = "a.yaml";
  f.span = {{line, 1}, {line, 2}};
  return f;
}

TEST_CASE("suppressions cover their own line and, alone, the line below", "[suppression]") {
  const SourceFile source("a.yaml", "a: 1  # leash: ignore[missing-memory-limit]\n"
                                    "# leash: ignore\n"
                                    "b: 2\n"
                                    "c: 3  # leash: ignore\n"
                                    "d: 4\n"
                                    "e: 5  # leash: ignore[other-rule]\n");
  std::vector<Finding> findings = {finding_at(1), finding_at(3), finding_at(5), finding_at(6)};
  apply_suppressions(source, Language::Yaml, findings);
  CHECK(findings[0].suppressed);
  CHECK(findings[1].suppressed);
  CHECK_FALSE(findings[2].suppressed); // a trailing directive does not reach the next line
  CHECK_FALSE(findings[3].suppressed);
}

TEST_CASE("fingerprints survive unrelated lines moving and tell repeats apart", "[fingerprint]") {
  const SourceFile before("a.yaml", "x:\n  web:\n  web:\n");
  const SourceFile after("a.yaml", "# new comment\n\nx:\n    web:\n  web:\n");
  std::vector<Finding> a = {finding_at(2), finding_at(3)};
  std::vector<Finding> b = {finding_at(4), finding_at(5)};
  hash_lines(before, a);
  number_fingerprints(a);
  hash_lines(after, b);
  number_fingerprints(b);
  CHECK(a[0].fingerprint == b[0].fingerprint);
  CHECK(a[1].fingerprint == b[1].fingerprint);
  CHECK(a[0].fingerprint != a[1].fingerprint);
  std::vector<Finding> other_rule = {finding_at(2, "redis-missing-maxmemory")};
  hash_lines(before, other_rule);
  number_fingerprints(other_rule);
  CHECK(other_rule[0].fingerprint != a[0].fingerprint);
}

TEST_CASE("positions count UTF-8 characters and invalid bytes count one each", "[source]") {
  const SourceFile source("a.yaml", "é: \xff x\nline2");
  CHECK(source.position(0, 2) == Position{1, 2});
  CHECK(source.position(0, 6) == Position{1, 6}); // é : space \xff space
  CHECK(source.position(1, 99) == Position{2, 6});
  CHECK(source.line(1) == "line2");
  CHECK(count_characters("日本") == 2);
  CHECK(first_invalid_utf8("a日本\U0010FFFF") == std::string_view::npos);
  CHECK(first_invalid_utf8("ab\xff") == 2);
  CHECK(first_invalid_utf8("\xe0\x80\x80") == 0);     // overlong
  CHECK(first_invalid_utf8("x\xed\xa0\x80") == 1);    // a surrogate
  CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == 0); // above U+10FFFF
  CHECK(first_invalid_utf8("\xe6\x97") == 0);         // cut short
}

TEST_CASE("config errors name the file and line and column and the closest valid name",
          "[config]") {
  test::TempDir dir;
  const Catalog &catalog = Catalog::builtin();
  auto error_of = [&](const std::string &text) {
    dir.write(".leash.yaml", text);
    try {
      load_config(".leash.yaml", catalog);
    } catch (const UsageError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("selct: [missing-memory-limit]\n") ==
        ".leash.yaml:1:1: unknown key `selct` (did you mean `select`?)");
  CHECK(error_of("select:\n  - missing-memory-limt\n") ==
        ".leash.yaml:2:5: unknown rule `missing-memory-limt` (did you mean "
        "`missing-memory-limit`?)");
  CHECK(error_of("rules:\n  missing-memory-limit:\n    severity: fatal\n") ==
        ".leash.yaml:3:15: severity must be error, warning or note");
  CHECK(error_of("rules:\n  redis-missing-maxmemory:\n    options:\n      image: [x]\n") ==
        ".leash.yaml:4:7: rule `redis-missing-maxmemory` has no option `image` (did you mean "
        "`images`?)");
  CHECK(error_of("rules:\n  redis-missing-maxmemory:\n    options:\n      images: {a: 1}\n") ==
        ".leash.yaml:4:15: option `images` of rule `redis-missing-maxmemory` must be a list");
  CHECK(error_of("exclude: vendor\n") == ".leash.yaml:1:10: `exclude` must be a list of strings");
  // The languages a rule's checks run on: those it has a check for, each once.
  CHECK(error_of("rules:\n  grow-only-container:\n    languages: [python, cxx]\n") ==
        ".leash.yaml:3:25: rule `grow-only-container` has no check for `cxx` (its languages: "
        "python, cpp) (did you mean `cpp`?)");
  CHECK(error_of("rules:\n  missing-memory-limit:\n    languages: [python]\n") ==
        ".leash.yaml:3:17: rule `missing-memory-limit` has no check for `python` (its "
        "languages: yaml)");
  CHECK(error_of("rules:\n  grow-only-container:\n    languages: [cpp, cpp]\n") ==
        ".leash.yaml:3:22: `cpp` is listed twice");
  CHECK(error_of("rules:\n  grow-only-container:\n    languages: cpp\n") ==
        ".leash.yaml:3:16: `languages` must be a list of strings");
  CHECK(error_of("rules:\n  grow-only-container:\n    langauges: [cpp]\n") ==
        ".leash.yaml:3:5: unknown key `langauges` for rule `grow-only-container` (did you mean "
        "`languages`?)");
  CHECK(error_of("select: [a\n").starts_with(".leash.yaml:2:1: not valid YAML"));
  // Found by fuzzing: a byte that is not UTF-8 reached the settings' digest and escaped as an
  // internal error. It is the config's mistake, at its line and column (in characters).
  CHECK(error_of("rules:\n  redis-missing-maxmemory:\n    options:\n      images: [é, \xffx]\n") ==
        ".leash.yaml:4:19: not valid UTF-8 (a config file is UTF-8 text)");
  CHECK(error_of("ignore: [\xc0\x80]\n") == // an overlong NUL
        ".leash.yaml:1:10: not valid UTF-8 (a config file is UTF-8 text)");
  // Also found by fuzzing: yaml-cpp turns control characters into bytes that are not UTF-8.
  CHECK(error_of(std::string("ignore: [a\x02\0b]\n", 15)) ==
        ".leash.yaml:1:11: a control character (byte 0x02) (a config file is UTF-8 text)");
  CHECK(error_of("") == "no error");
}

TEST_CASE("a file deleted between discovery and reading is an error naming it", "[scan]") {
  test::TempDir dir;
  dir.write("a/docker-compose.yml", "services:\n  web: {image: nginx}\n");
  dir.write("b/docker-compose.yml", "services:\n  db: {image: postgres}\n");
  const Workspace workspace(Catalog::builtin(), {});
  const std::vector<InputFile> files = discover_files({dir.path()}, workspace);
  REQUIRE(files.size() == 2);
  std::filesystem::remove(dir.path() / "a/docker-compose.yml"); // as a checkout moves on
  const RunContext run{workspace, {dir.path()}, std::nullopt, {}};
  const ScanResult result = decide(scan(files, run, ScanOptions{1, nullptr, nullptr}));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].path == "a/docker-compose.yml");
  CHECK(result.errors[0].message == "cannot read the file: No such file or directory");
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].path == "b/docker-compose.yml");
}

TEST_CASE("a rule's opt-in language runs only where the config names it", "[config]") {
  const Catalog &catalog = Catalog::builtin();
  const Rule *rule = catalog.find("grow-only-container");
  REQUIRE(rule != nullptr);
  REQUIRE(rule->opt_in_languages == std::vector<Language>{Language::Cpp});
  test::TempDir dir;
  const auto settings = [&](const std::string &config) {
    dir.write(".leash.yaml", config);
    return Settings(catalog, load_config(".leash.yaml", catalog),
                    Selection{std::vector<std::string>{"grow-only-container"}, {}, {}});
  };
  const Settings plain = settings("");
  CHECK(plain.enabled("grow-only-container") != nullptr);
  CHECK(plain.enabled("grow-only-container", Language::Python) != nullptr);
  CHECK(plain.enabled("grow-only-container", Language::Cpp) == nullptr);
  const Settings both = settings("rules:\n  grow-only-container:\n    languages: [python, cpp]\n");
  CHECK(both.enabled("grow-only-container", Language::Cpp) != nullptr);
  // A cached result of one is not the other's; the order they are listed in does not matter.
  const Settings python = settings("rules:\n  grow-only-container:\n    languages: [python]\n");
  CHECK(both.digest() != python.digest());
  CHECK(settings("rules:\n  grow-only-container:\n    languages: [cpp, python]\n").digest() ==
        both.digest());
  // Inherited through `extend:`, like the rule's other settings.
  dir.write("base.yaml", "rules:\n  grow-only-container:\n    languages: [cpp]\n");
  const Settings extended = settings("extend: base.yaml\nrules:\n  grow-only-container:\n"
                                     "    severity: error\n");
  CHECK(extended.enabled("grow-only-container", Language::Cpp) != nullptr);
  CHECK(extended.enabled("grow-only-container", Language::Python) == nullptr);
  const Settings cpp_only = settings("rules:\n  grow-only-container:\n    languages: [cpp]\n");
  CHECK(cpp_only.enabled("grow-only-container", Language::Python) == nullptr);
  CHECK(cpp_only.enabled("grow-only-container", Language::Cpp) != nullptr);
  // A rule without opt-in languages runs on all of its own.
  CHECK(plain.enabled("missing-socket-timeout", Language::Cpp) == nullptr); // not selected
  const Settings defaults(catalog, Config{}, {});
  CHECK(defaults.enabled("missing-socket-timeout", Language::Cpp) != nullptr);
  CHECK(defaults.enabled("missing-socket-timeout", Language::Python) != nullptr);
}

TEST_CASE("the config file is found by walking up from the scanned path", "[config]") {
  test::TempDir dir;
  dir.write(".leash.yaml", "ignore: [missing-memory-limit]\n");
  dir.write("a/b/docker-compose.yml", "services: {}\n");
  const Workspace workspace(Catalog::builtin(), {});
  CHECK(workspace.settings_for(dir.path() / "a" / "b").config().file == ".leash.yaml");
  CHECK(workspace.settings_for(dir.path() / "a" / "b" / "docker-compose.yml").config().file ==
        ".leash.yaml");
  CHECK(workspace.settings_for("a/b/").config().file == ".leash.yaml");
  const Config config = load_config(dir.path() / ".leash.yaml", Catalog::builtin());
  CHECK(config.ignore == std::vector<std::string>{"missing-memory-limit"});
}

} // namespace
} // namespace leash
