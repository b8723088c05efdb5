// What a team needs to adopt leash in a repository with known findings: per-folder configs,
// baselines, diff mode, CI report formats, several reports per scan, shards merged as one run.
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

namespace leash {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json report_of(std::vector<std::string> args) {
  args.insert(args.begin(), "check");
  args.push_back("--format");
  args.push_back("json");
  const auto result = test::run(args);
  INFO(result.err);
  return json::parse(result.out);
}

std::vector<std::string> locations(const json &report) {
  std::vector<std::string> out;
  for (const json &f : report["findings"])
    out.push_back(f["path"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + " " +
                  f["rule"].get<std::string>());
  return out;
}

// Runs a shell command in the working directory (the test's folder); git with a fixed identity.
void sh(const std::string &command) {
  const std::string full = "export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com "
                           "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com; (" +
                           command + ") > /dev/null 2>&1";
  INFO(command);
  REQUIRE(std::system(full.c_str()) == 0);
}

TEST_CASE("the nearest config governs each file and extend inherits another", "[config]") {
  test::TempDir dir;
  dir.write(".leash.yaml", "ignore: [redis-missing-maxmemory]\n"
                           "rules:\n"
                           "  redis-missing-maxmemory:\n"
                           "    options: {images: [redis, keydb]}\n"
                           "  missing-memory-limit: {severity: error}\n");
  const char *compose = "services:\n  cache: {image: keydb}\n";
  dir.write("docker-compose.yml", compose);
  // A service of the monorepo with its own config that does not extend: root settings are gone.
  dir.write("svc/alone/.leash.yaml", "select: [redis-missing-maxmemory]\n");
  dir.write("svc/alone/docker-compose.yml", compose);
  // One that extends the root: its keys replace the root's, its rules merge option by option.
  dir.write("svc/child/.leash.yaml", "extend: ../../.leash.yaml\n"
                                     "ignore: []\n"
                                     "rules:\n"
                                     "  missing-memory-limit: {severity: note}\n");
  dir.write("svc/child/docker-compose.yml", compose);
  const json report = report_of({"."});
  CHECK(locations(report) ==
        std::vector<std::string>{"docker-compose.yml:2 missing-memory-limit",
                                 "svc/child/docker-compose.yml:2 missing-memory-limit",
                                 "svc/child/docker-compose.yml:2 redis-missing-maxmemory"});
  CHECK(report["findings"][0]["severity"] == "error");
  CHECK(report["findings"][1]["severity"] == "note");
  // svc/alone's config selects redis-missing-maxmemory with the default images: keydb is not one.
  CHECK(report_of({"svc/alone"})["findings"].empty());

  dir.write("svc/child/.leash.yaml", "extend: ../../.leash.yaml\nignore: [missing-memry-limit]\n");
  auto bad = test::run({"check", "svc/child"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "leash: error: svc/child/.leash.yaml:2:10: unknown rule `missing-memry-limit` "
                   "(did you mean `missing-memory-limit`?)\n");
  dir.write("svc/child/.leash.yaml", "extend: ../nowhere.yaml\n");
  CHECK(test::run({"check", "svc/child"})
            .err.find(".leash.yaml:1:9: `extend`: svc/nowhere.yaml "
                      "is not a file") != std::string::npos);
  dir.write("svc/child/.leash.yaml", "extend: ../../.leash.yaml\n");
  dir.write(".leash.yaml", "extend: svc/child/.leash.yaml\n");
  bad = test::run({"check", "svc/child"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("`extend` makes a cycle") != std::string::npos);
  // --config names one file for every path.
  dir.write(".leash.yaml", "select: [missing-memory-limit]\n");
  CHECK(report_of({".", "--config", ".leash.yaml"})["findings"].size() == 3);
}

TEST_CASE("per-file-ignores turn rules off for the files a glob matches", "[config]") {
  test::TempDir dir;
  dir.write(".leash.yaml", "per-file-ignores:\n"
                           "  'tests/**': [missing-memory-limit, redis-missing-maxmemory]\n"
                           "  legacy.yml: [missing-memory-limit]\n");
  const char *compose = "services:\n  cache: {image: redis}\n";
  dir.write("tests/e2e/docker-compose.yml", compose);
  dir.write("legacy.yml", compose);
  dir.write("docker-compose.yml", compose);
  CHECK(locations(report_of({"."})) ==
        std::vector<std::string>{"docker-compose.yml:2 missing-memory-limit",
                                 "docker-compose.yml:2 redis-missing-maxmemory",
                                 "legacy.yml:2 redis-missing-maxmemory"});
  dir.write(".leash.yaml", "per-file-ignores:\n  'tests/**': missing-memory-limit\n");
  CHECK(test::run({"check"}).err ==
        "leash: error: .leash.yaml:2:15: `tests/**` must be a list of strings\n");
}

TEST_CASE("a config teaches leash the repository's own wrappers", "[config][wrappers]") {
  test::TempDir dir;
  dir.write(".leash.yaml",
            "extend-select: [grow-only-container]\n"
            "rules:\n"
            "  missing-socket-timeout:\n"
            "    targets:\n"
            "      python:\n"
            "        - callees: [acme.cache.make_client]\n"
            "          require: [{keyword: socket_timeout}]\n"
            "          message: \"{callee} makes a Redis client with no socket_timeout\"\n"
            "  missing-command-timeout:\n"
            "    targets:\n"
            "      cpp:\n"
            "        - callees: [\"::acme::db::open\"]\n"
            "          literal_contains: [connect_timeout, statement_timeout]\n"
            "          message: \"{callee} takes a libpq conninfo with no timeout\"\n"
            "  grow-only-container:\n"
            "    targets:\n"
            "      python:\n"
            "        long_lived: [acme.registry.Registry]\n");
  dir.write("app/main.py", "from acme.cache import make_client\n"
                           "cache = make_client(host='redis')\n"
                           "fine = make_client(host='redis', socket_timeout=2)\n");
  dir.write("acme/registry.py", "class Registry:\n"
                                "    def __init__(self):\n"
                                "        self.items = {}\n"
                                "    def expect(self, request_id, reply):\n"
                                "        self.items[request_id] = reply\n");
  dir.write("src/db.cpp", "namespace acme::db { void *open(const char *conninfo); }\n"
                          "void *a() { return acme::db::open(\"host=db\"); }\n"
                          "void *b() { return acme::db::open(\"host=db connect_timeout=5\"); }\n");
  const json report = report_of({".", "--no-cache"});
  CHECK(report["errors"].empty());
  CHECK(locations(report) == std::vector<std::string>{"acme/registry.py:3 grow-only-container",
                                                      "app/main.py:2 missing-socket-timeout",
                                                      "src/db.cpp:2 missing-command-timeout"});
  CHECK(report["findings"][1]["message"] ==
        "acme.cache.make_client makes a Redis client with no socket_timeout");

  // The same schema and errors as the rule's own data, at the config's lines.
  const auto error_of = [&](const std::string &config) {
    dir.write(".leash.yaml", config);
    return test::run({"check", "."}).err;
  };
  CHECK(error_of("rules:\n  missing-socket-timeout:\n    targets:\n      python:\n"
                 "        - callees: [acme.make]\n          requires: [{keyword: x}]\n"
                 "          message: m\n") ==
        "leash: error: .leash.yaml:6:11: unknown key `requires` (did you mean `require`?)\n");
  CHECK(error_of("rules:\n  missing-command-timeout:\n    targets:\n      cpp:\n"
                 "        - callees: [acme::db::open]\n          literal_contains: [x]\n"
                 "          message: m\n") ==
        "leash: error: .leash.yaml:5:21: `acme::db::open` is not a fully qualified name: write "
        "::acme::db::open\n");
  CHECK(error_of("rules:\n  unbounded-queue:\n    targets:\n      yaml: []\n") ==
        "leash: error: .leash.yaml:4:7: rule `unbounded-queue` has no yaml targets to extend\n");
  CHECK(error_of("rules:\n  grow-only-container:\n    targets:\n      python:\n"
                 "        long_livd: [a.B]\n") ==
        "leash: error: .leash.yaml:5:9: `long_livd` is not a list these targets have (did you "
        "mean `long_lived`?)\n");
}

// A compose file whose services each lack a limit; `extra` lines go above them.
std::string services(const std::vector<std::string> &names, const std::string &above = "") {
  std::string text = above + "services:\n";
  for (const std::string &name : names)
    text += "  " + name + ":\n    image: example/" + name + "\n";
  return text;
}

TEST_CASE("a baseline accepts the findings it holds and gates only new ones", "[baseline]") {
  test::TempDir dir;
  dir.write("docker-compose.yml", services({"web", "api"}));
  for (const char *format : {"json", "sarif"}) {
    DYNAMIC_SECTION(format) {
      const std::string baseline = std::string("baseline.") + format;
      test::run({"check", ".", "--format", std::string(format) + ":" + baseline, "--exit-zero",
                 "--select", "missing-memory-limit"});
      const auto check = [&] {
        return test::run({"check", ".", "--baseline", baseline, "--select", "missing-memory-limit",
                          "--format", "json"});
      };
      auto same = check();
      CHECK(same.exit_code == 0);
      CHECK(json::parse(same.out)["stats"]["baseline"] == 2);
      CHECK(json::parse(same.out)["findings"].empty());
      // Unrelated edits: lines added above, the services moved and reformatted.
      dir.write("docker-compose.yml", "# the stack\nversion: '3'\n\nservices:\n"
                                      "  api:\n      image:   example/api\n"
                                      "  web:   \n      image: example/web\n");
      same = check();
      CHECK(same.exit_code == 0);
      CHECK(json::parse(same.out)["stats"]["baseline"] == 2);
      // A new finding next to the old ones is the only one reported.
      dir.write("docker-compose.yml",
                services({"web", "worker", "api"}, "# the stack\nversion: '3'\n\n"));
      const auto added = check();
      CHECK(added.exit_code == 1);
      const json report = json::parse(added.out);
      CHECK(locations(report) ==
            std::vector<std::string>{"docker-compose.yml:7 missing-memory-limit"});
      CHECK(report["stats"]["baseline"] == 2);
      CHECK(test::run({"check", ".", "--baseline", baseline}).out.find("2 in the baseline") !=
            std::string::npos);
      dir.write("docker-compose.yml", services({"web", "api"}));
    }
  }
  // A SARIF report made with a baseline keeps the accepted results, marked so.
  test::run({"check", ".", "--format", "json:base.json", "--exit-zero"});
  dir.write("docker-compose.yml", services({"web", "api", "db"}));
  const json sarif =
      json::parse(test::run({"check", ".", "--baseline", "base.json", "--format", "sarif"}).out);
  std::vector<std::string> states;
  for (const json &r : sarif["runs"][0]["results"])
    states.push_back(r.contains("suppressions")
                         ? fmt::format("{}/{}", r["baselineState"].get<std::string>(),
                                       r["suppressions"][0]["kind"].get<std::string>())
                         : r["baselineState"].get<std::string>());
  CHECK(states == std::vector<std::string>{"unchanged/external", "unchanged/external", "new"});

  dir.write("not-a-report.json", "{\"a\": 1}\n");
  const auto bad = test::run({"check", ".", "--baseline", "not-a-report.json"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("not-a-report.json: not a leash report") != std::string::npos);
  CHECK(test::run({"check", ".", "--baseline", "missing.json"}).exit_code == 2);
  // Found by fuzzing: a number JSON cannot hold escaped as an internal error.
  dir.write("overflow.json", "{\"runs\": [1e999]}\n");
  const auto overflow = test::run({"check", ".", "--baseline", "overflow.json"});
  CHECK(overflow.exit_code == 2);
  CHECK(overflow.err.find("overflow.json: the baseline is not JSON: "
                          "[json.exception.out_of_range.406] number overflow") !=
        std::string::npos);
}

TEST_CASE("diff mode reports only findings on lines the change added or changed", "[diff]") {
  test::TempDir dir;
  sh("git init -q -b main .");
  dir.write("deploy/docker-compose.yml", services({"web", "api"}));
  dir.write("app/queues.py", "import asyncio\njobs = asyncio.Queue()\n");
  dir.write("broken/compose.yaml", "services:\n  web: [\n");
  dir.write("odd names/\"q\" ü.py", "import asyncio\n");
  sh("git add -A && git commit -qm base");
  sh("git checkout -q -b feature");
  // The feature adds a service, edits the Python file elsewhere, and leaves the broken file be.
  dir.write("deploy/docker-compose.yml", services({"web", "api", "worker"}));
  dir.write("app/queues.py", "import asyncio\n\njobs = asyncio.Queue()\nmore = asyncio.Queue()\n");
  sh("git add -A && git commit -qm feature");
  dir.write("deploy/docker-compose.yml", services({"web", "api", "worker", "uncommitted"}));
  // Names git quotes or ends with a tab.
  dir.write("odd names/\"q\" ü.py", "import asyncio\nq = asyncio.Queue()\n");
  dir.write("odd names/with space.py", "import asyncio\nq = asyncio.Queue()\n");
  sh("git add -A");

  json report = report_of({".", "--diff", "main"});
  CHECK(locations(report) ==
        std::vector<std::string>{
            "app/queues.py:4 unbounded-queue", "deploy/docker-compose.yml:6 missing-memory-limit",
            "deploy/docker-compose.yml:8 missing-memory-limit",
            "odd names/\"q\" ü.py:2 unbounded-queue", "odd names/with space.py:2 unbounded-queue"});
  CHECK(report["stats"]["outside_diff"] == 3);
  CHECK(report["errors"].empty()); // the broken file is not part of the change
  // The uncommitted change alone (as pre-commit stages it).
  report = report_of({".", "--diff", "HEAD"});
  CHECK(locations(report) ==
        std::vector<std::string>{"deploy/docker-compose.yml:8 missing-memory-limit",
                                 "odd names/\"q\" ü.py:2 unbounded-queue",
                                 "odd names/with space.py:2 unbounded-queue"});
  // Whatever the diff, the run's exit code counts only what is reported.
  CHECK(test::run({"check", "broken", "--diff", "HEAD"}).exit_code == 0);
  CHECK(test::run({"check", "broken"}).exit_code == 1);

  // A checkout's own config may define a clean filter its .gitattributes select, which a plain
  // `git diff` against the working tree runs: leash's never does.
  dir.write(".gitattributes", "*.py filter=evil\n");
  sh("git add .gitattributes && git commit -qm attributes");
  sh("git config filter.evil.clean 'touch pwned; cat'");
  dir.write("app/queues.py", "import asyncio\n\njobs = asyncio.Queue()\nmore = asyncio.Queue()\n"
                             "# edited\n");
  report = report_of({".", "--diff", "HEAD"});
  CHECK(!fs::exists(dir.path() / "pwned"));
  CHECK(report["errors"].empty());

  const auto bad = test::run({"check", ".", "--diff", "no-such-branch"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--diff no-such-branch: git cannot find a merge base") != std::string::npos);
  CHECK(test::run({"check", ".", "--diff", "--format"}).exit_code == 2);
}

TEST_CASE("one scan writes several reports, each in a format CI reads", "[formats]") {
  test::TempDir dir;
  dir.write("deploy/docker-compose.yml",
            "services:\n  \"we,b:1\":\n    image: nginx\n    mem_limit: 1Gi\n");
  dir.write("broken/compose.yaml", "services:\n  web: [\n");
  fs::create_directory(dir.path() / "out");
  const auto run = test::run({"check", ".", "--format", "sarif:out/leash.sarif", "--format",
                              "gitlab:out/gl.json", "--format", "github"});
  CHECK(run.exit_code == 1);
  // GitHub workflow commands, with properties and message escaped as the runner reads them.
  CHECK(run.out ==
        "::error file=deploy/docker-compose.yml,line=4,col=16,endLine=4,endColumn=19,"
        "title=leash%3A invalid-memory-quantity::mem_limit of service \"we,b:1\": \"1Gi\" is "
        "not a size Docker can read: write it like 512m or 2g\n"
        "::error file=broken/compose.yaml,line=2,col=1,title=leash::not valid YAML: end of "
        "sequence flow not found\n");
  const json sarif = json::parse(test::read_file(dir.path() / "out/leash.sarif"));
  CHECK(sarif["runs"][0]["results"].size() == 1);
  const json gitlab = json::parse(test::read_file(dir.path() / "out/gl.json"));
  REQUIRE(gitlab.size() == 2);
  CHECK(gitlab[0]["check_name"] == "invalid-memory-quantity");
  CHECK(gitlab[0]["severity"] == "major");
  CHECK(gitlab[0]["location"] ==
        json{{"path", "deploy/docker-compose.yml"}, {"lines", {{"begin", 4}}}});
  CHECK(gitlab[0]["fingerprint"].get<std::string>().size() > 16);
  CHECK(gitlab[1]["check_name"] == "leash-error");
  // Ambiguous or clashing destinations are usage errors.
  CHECK(test::run({"check", ".", "--format", "json", "--format", "sarif"}).exit_code == 2);
  CHECK(test::run({"check", ".", "--format", "json:a", "--format", "sarif:a"}).exit_code == 2);
  CHECK(test::run({"check", ".", "--format", "json:a", "--output", "b"}).exit_code == 2);
  CHECK(test::run({"check", ".", "--format", "xml"}).err.find("expected text, json, sarif") !=
        std::string::npos);
}

TEST_CASE("SARIF has a category, fixes, and stays within code scanning's limits", "[formats]") {
  test::TempDir dir;
  std::vector<std::string> names;
  for (int i = 0; i < 25010; ++i)
    names.push_back(fmt::format("s{}", i));
  // 25,010 warnings and one error: the error is kept, 11 warnings are left out.
  dir.write("docker-compose.yml", services(names) + "  bad:\n    mem_limit: 1Gi\n");
  const json sarif = json::parse(
      test::run({"check", ".", "--format", "sarif", "--sarif-category", "leash/backend"}).out);
  const json &run = sarif["runs"][0];
  CHECK(run["automationDetails"]["id"] == "leash/backend/");
  CHECK(run["results"].size() == 25000);
  CHECK(run["results"][run["results"].size() - 1]["level"] == "error");
  const json &notes = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["message"]["text"].get<std::string>().starts_with("11 results were left out"));
  CHECK(run["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]
           ["text"] == "    mem_limit: 512m\n");
}

TEST_CASE("shards merged give what one full run gives, C++ across units included", "[shard]") {
  test::TempDir dir;
  dir.write("include/hub.h",
            "#pragma once\n#include <vector>\n"
            "class Hub {\npublic:\n  void join(int id);\n  void prune();\n"
            "private:\n  std::vector<int> grown_;\n  std::vector<int> pruned_;\n};\n");
  dir.write("src/join.cpp",
            "#include \"hub.h\"\n"
            "void Hub::join(int id) { grown_.push_back(id); pruned_.push_back(id); }\n");
  dir.write("src/prune.cpp", "#include \"hub.h\"\nvoid Hub::prune() { pruned_.clear(); }\n");
  dir.write("src/main.cpp", "#include \"hub.h\"\n#include <hiredis/hiredis.h>\n"
                            "Hub hub;\nredisContext *c() { return redisConnect(\"x\", 1); }\n");
  dir.write(".leash.yaml", "extend-select: [grow-only-container]\n"
                           "rules:\n  grow-only-container:\n    languages: [python, cpp]\n"
                           "cpp:\n  include_paths: [include]\n");
  for (int i = 0; i < 12; ++i)
    dir.write(fmt::format("svc{}/docker-compose.yml", i), services({"web"}));
  dir.write("app/q.py", "import asyncio\nq = asyncio.Queue()  # leash: ignore\n");
  // A client class one module derives, built by others, whichever shard each is in.
  dir.write("app/clients.py", "import redis\nclass AppRedis(redis.Redis):\n    pass\n");
  for (int i = 0; i < 3; ++i)
    dir.write(fmt::format("app/use{}.py", i),
              "from app.clients import AppRedis\nr = AppRedis(host='h')\n");
  for (const char *format : {"json", "sarif"}) {
    DYNAMIC_SECTION(format) {
      const std::string full = test::run({"check", ".", "--format", format, "--no-cache"}).out;
      std::vector<std::string> merge = {"merge", "--format", format};
      size_t files = 0;
      for (int k = 1; k <= 3; ++k) {
        const std::string report = fmt::format("shard{}.{}", k, format);
        const auto shard = test::run({"check", ".", "--shard", fmt::format("{}/3", k), "--format",
                                      std::string(format) + ":" + report});
        CHECK(shard.exit_code <= 1);
        files += json::parse(test::read_file(dir.path() / report))
                     .value("stats", json::object())
                     .value("files", 0);
        merge.push_back(report);
      }
      if (std::string(format) == "json")
        CHECK(files == 21); // every file in exactly one shard
      const auto merged = test::run(merge);
      CHECK(merged.exit_code == 1);
      CHECK(merged.out == full);
      // The header's member is decided on all units, though they ran in different shards.
      CHECK(full.find("grown_") != std::string::npos);
      CHECK(full.find("pruned_") == std::string::npos);
      for (int i = 0; i < 3; ++i)
        CHECK(full.find(fmt::format("app/use{}.py", i)) != std::string::npos);
    }
  }
  SECTION("only every shard of one scan, each once, merges") {
    for (int k = 1; k <= 3; ++k)
      test::run({"check", ".", "--shard", fmt::format("{}/3", k), "--format",
                 fmt::format("json:shard{}.json", k)});
    auto merged = test::run({"merge", "shard1.json", "shard3.json"});
    CHECK(merged.exit_code == 2);
    CHECK(merged.err == "leash: error: merge: shard 2/3 is missing: a merge of part of a scan "
                        "would decide findings across units wrongly\n");
    merged = test::run({"merge", "shard1.json", "shard2.json", "shard3.json", "shard2.json"});
    CHECK(merged.err == "leash: error: shard2.json and shard2.json are the same shard 2/3\n");
    dir.write("extra/docker-compose.yml", services({"web"}));
    test::run({"check", ".", "--shard", "2/3", "--format", "json:other2.json"});
    merged = test::run({"merge", "shard1.json", "other2.json", "shard3.json"});
    CHECK(merged.err.find("are shards of different scans") != std::string::npos);
  }
  CHECK(test::run({"check", ".", "--shard", "4/3"}).exit_code == 2);
  const auto not_shard = test::run({"check", ".", "--format", "json:plain.json"});
  CHECK(test::run({"merge", "plain.json"}).err.find("not a shard report") != std::string::npos);
}

} // namespace
} // namespace leash
