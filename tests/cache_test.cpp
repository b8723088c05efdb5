// The result cache: a warm run reports exactly what a cold one does; any change to what decides a
// file's result (its text, its settings, a header a C++ unit includes, facts from other units)
// is seen; a damaged, cut-short or foreign cache is ignored and rebuilt, never trusted.
#include "core/cache.h"
#include "core/records.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>

namespace leash {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string check(std::vector<std::string> args) {
  args.insert(args.begin(), "check");
  args.insert(args.end(), {"--format", "json"});
  return test::run(args).out;
}

std::vector<fs::path> segments(const fs::path &cache) {
  std::vector<fs::path> out;
  for (const auto &entry : fs::recursive_directory_iterator(cache))
    if (entry.path().extension() == ".bin")
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

void write_project(const test::TempDir &dir) {
  dir.write("deploy/docker-compose.yml", "services:\n  web:\n    image: nginx\n");
  dir.write("app/queues.py", "import asyncio\njobs = asyncio.Queue()\n");
  dir.write("include/cache.h", "#pragma once\n#include <hiredis/hiredis.h>\n"
                               "redisContext *open_cache();\n");
  dir.write("src/cache.cpp", "#include \"cache.h\"\n"
                             "redisContext *open_cache() { return redisConnect(\"c\", 1); }\n");
  dir.write(".leash.yaml", "cpp:\n  include_paths: [include]\n");
}

TEST_CASE("a warm run reports exactly what a cold run does, and sees every change", "[cache]") {
  test::TempDir dir;
  write_project(dir);
  const std::string uncached = check({".", "--no-cache"});
  CHECK(!fs::exists(dir.path() / ".leash-cache"));
  const std::string cold = check({"."});
  CHECK(cold == uncached);
  REQUIRE(segments(dir.path() / ".leash-cache").size() == 1);
  CHECK(fs::exists(dir.path() / ".leash-cache/CACHEDIR.TAG"));
  CHECK(test::read_file(dir.path() / ".leash-cache/.gitignore").ends_with("*\n"));
  CHECK(check({"."}) == cold);
  CHECK(segments(dir.path() / ".leash-cache").size() == 1); // nothing new to keep

  // The file's text.
  dir.write("app/queues.py", "import asyncio\njobs = asyncio.Queue(maxsize=10)\n");
  CHECK(json::parse(check({"."}))["findings"].size() == 2);
  // Its settings: a severity, an ignored rule.
  dir.write(".leash.yaml", "cpp:\n  include_paths: [include]\n"
                           "rules:\n  missing-memory-limit: {severity: error}\n");
  CHECK(json::parse(check({"."}))["findings"][0]["severity"] == "error");
  // A header the C++ unit includes: now it declares a helper that sets the timeout.
  dir.write("include/cache.h", "#pragma once\n#include <hiredis/hiredis.h>\n"
                               "redisContext *open_cache();\n"
                               "void configure(redisContext *c);\n");
  dir.write("src/cache.cpp", "#include \"cache.h\"\n"
                             "redisContext *open_cache() {\n"
                             "  redisContext *c = redisConnect(\"c\", 1);\n"
                             "  configure(c);\n  return c;\n}\n");
  CHECK(json::parse(check({"."}))["findings"].size() == 1);
  dir.write("include/cache.h", "#pragma once\n#include <hiredis/hiredis.h>\n"
                               "redisContext *open_cache();\n"
                               "inline void configure(redisContext *) {}\n");
  // Now the helper's body is seen, and it gives no timeout: the header's change is seen.
  CHECK(json::parse(check({"."}))["findings"].size() == 2);
  // --cache-dir and LEASH_CACHE_DIR put it elsewhere.
  const std::string elsewhere = check({".", "--cache-dir", "elsewhere"});
  CHECK(segments(dir.path() / "elsewhere").size() == 1);
  CHECK(check({".", "--cache-dir", "elsewhere"}) == elsewhere);
}

TEST_CASE("facts from other units are cached with the unit that provided them", "[cache]") {
  test::TempDir dir;
  dir.write("include/hub.h", "#pragma once\n#include <vector>\n"
                             "class Hub {\npublic:\n  void join(int id);\n  void prune();\n"
                             "private:\n  std::vector<int> ids_;\n};\nextern Hub hub;\n");
  dir.write("src/join.cpp", "#include \"hub.h\"\nHub hub;\n"
                            "void Hub::join(int id) { ids_.push_back(id); }\n");
  dir.write("src/prune.cpp", "#include \"hub.h\"\nvoid Hub::prune() { ids_.clear(); }\n");
  dir.write(".leash.yaml", "extend-select: [grow-only-container]\n"
                           "rules:\n  grow-only-container:\n    languages: [python, cpp]\n"
                           "cpp:\n  include_paths: [include]\n");
  CHECK(json::parse(check({"."}))["findings"].empty());
  CHECK(json::parse(check({"."}))["findings"].empty()); // join.cpp cached, prune.cpp's fact too
  dir.write("src/prune.cpp", "#include \"hub.h\"\nvoid Hub::prune() {}\n");
  const json report = json::parse(check({"."}));
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["path"] == "include/hub.h");
  CHECK(json::parse(check({"."})) == report);
}

TEST_CASE("a module that builds another module's client class is judged anew when that class "
          "changes",
          "[cache]") {
  test::TempDir dir;
  dir.write("lib/clients.py", "import redis\nclass AppRedis(redis.Redis):\n    pass\n");
  dir.write("app/use.py", "from lib.clients import AppRedis\nr = AppRedis(host='h')\n");
  const auto findings_in_use = [&] {
    size_t count = 0;
    const json report = json::parse(check({"."}));
    for (const json &finding : report["findings"])
      count += finding["path"] == "app/use.py" && finding["rule"] == "missing-socket-timeout";
    return count;
  };
  CHECK(findings_in_use() == 1);
  CHECK(findings_in_use() == 1); // warm
  // The class now takes arguments of its own: app/use.py, unchanged, is not judged by its base.
  dir.write("lib/clients.py", "import redis\nclass AppRedis(redis.Redis):\n"
                              "    def __init__(self, host):\n"
                              "        super().__init__(host=host, socket_timeout=2)\n");
  CHECK(findings_in_use() == 0);
  dir.write("lib/clients.py", "import redis\nclass AppRedis(redis.Redis):\n    pass\n");
  CHECK(findings_in_use() == 1);
  // Alone (a pre-commit run over the changed file), the module does not see the class's base.
  CHECK(json::parse(check({"app/use.py"}))["findings"].empty());
}

TEST_CASE("a damaged, cut-short or foreign cache is ignored and rebuilt", "[cache]") {
  test::TempDir dir;
  write_project(dir);
  const std::string cold = check({"."});
  const fs::path segment = segments(dir.path() / ".leash-cache").at(0);
  const std::string bytes = test::read_file(segment);
  REQUIRE(bytes.size() > 100);
  // Each run leaves a good segment of its own: only the damaged one may stay for the next.
  const auto damage = [&](const std::string &with) {
    for (const fs::path &other : segments(dir.path() / ".leash-cache"))
      fs::remove(other);
    std::ofstream(segment, std::ios::binary | std::ios::trunc) << with;
    const auto run = test::run({"check", ".", "--format", "json"});
    CHECK(run.err.empty());
    CHECK(run.out == cold);
  };
  SECTION("every byte flipped in turn") {
    for (size_t i = 0; i < bytes.size(); i += std::max<size_t>(1, bytes.size() / 97)) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
      damage(flipped);
    }
  }
  SECTION("cut short at every length") {
    for (size_t size = 0; size < bytes.size(); size += std::max<size_t>(1, bytes.size() / 61))
      damage(bytes.substr(0, size));
  }
  SECTION("another build's or another program's file") {
    std::string foreign = bytes;
    foreign[9] = static_cast<char>(foreign[9] ^ 1); // the build identity
    damage(foreign);
    damage("not a cache at all\n");
    damage(std::string(4096, '\xff'));
  }
  SECTION("a cache folder that cannot be made is a warning, not a failure") {
    dir.write("blocked", "a file where the folder would go\n");
    const auto run = test::run({"check", ".", "--cache-dir", "blocked/cache", "--format", "json"});
    CHECK(run.out == cold);
    CHECK(run.err.find("leash: warning: the result cache is off: blocked/cache") == 0);
  }
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const std::string &value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

private:
  const char *name_;
  std::optional<std::string> old_;
};

TEST_CASE("a cache a repository ships matches nothing", "[cache]") {
  test::TempDir dir;
  FileResult clean;
  clean.analyzed = true;
  const auto key = [](const Cache &cache) {
    Hasher hasher;
    return cache.seal(hasher).field("docker-compose.yml as it is").digest();
  };
  {
    // Made by someone else (their secret), and committed into the repository's .leash-cache.
    ScopedEnv other("XDG_CACHE_HOME", (dir.path() / "attacker-home").string());
    Cache planted(dir.path() / "repo/.leash-cache");
    planted.store(key(planted), clean, {});
    planted.save();
    Cache again(dir.path() / "repo/.leash-cache");
    CHECK(again.lookup(key(again))); // their own runs find it
  }
  ScopedEnv mine("XDG_CACHE_HOME", (dir.path() / "my-home").string());
  Cache cache(dir.path() / "repo/.leash-cache");
  CHECK(cache.problem().empty());
  CHECK_FALSE(cache.lookup(key(cache)));
  CHECK(fs::file_size(dir.path() / "my-home/leash/secret") == 32);
  // A link where the default cache folder goes (to send writes and removals elsewhere) is not
  // followed; a segment that is a link (to a device that never ends) is not read.
  test::TempDir repo;
  write_project(repo);
  const std::string clean_run = check({".", "--no-cache"});
  fs::create_directory(repo.path() / "elsewhere");
  fs::create_directory_symlink("elsewhere", repo.path() / ".leash-cache");
  const auto linked = test::run({"check", ".", "--format", "json"});
  CHECK(linked.out == clean_run);
  CHECK(linked.err.find("not a folder of this user's (a link?): not used") != std::string::npos);
  CHECK(fs::is_empty(repo.path() / "elsewhere"));
  fs::remove(repo.path() / ".leash-cache");
  const fs::path build = repo.path() / ".leash-cache" / Cache::build_identity().hex();
  fs::create_directories(build);
  fs::create_symlink("/dev/zero", build / "seg-planted.bin");
  const auto device = test::run({"check", ".", "--format", "json"});
  CHECK(device.out == clean_run);
  CHECK(device.err.empty());
  CHECK((fs::status(dir.path() / "my-home/leash/secret").permissions() & fs::perms::others_read) ==
        fs::perms::none);
}

TEST_CASE("a valid record whose entry does not decode is a miss, never a crash", "[cache]") {
  test::TempDir dir;
  Cache cache(dir.path() / "c");
  REQUIRE(cache.problem().empty());
  FileResult result;
  result.analyzed = true;
  result.findings.emplace_back();
  result.findings[0].rule = std::string("r");
  result.findings[0].path = std::string("a.py");
  result.findings[0].message = std::string("m");
  const Digest key = hash_of("a");
  cache.store(key, result, {});
  const auto found = cache.lookup(key);
  REQUIRE(found);
  CHECK(found->result.findings.at(0).message == "m");
  CHECK_FALSE(cache.lookup(hash_of("b")));
  cache.save();
  Cache reopened(dir.path() / "c");
  CHECK(reopened.lookup(key)->result.findings.at(0).rule == "r");
  CHECK(reopened.hits() == 1);
  // Many runs, each leaving a segment: they are merged, and what was used is kept.
  for (int run = 0; run < 12; ++run) {
    Cache again(dir.path() / "c");
    REQUIRE(again.lookup(key));
    again.store(hash_of(fmt::format("{}", run)), result, {});
    again.save();
  }
  CHECK(segments(dir.path() / "c").size() <= 9);
  // Folders of other builds (a rebuilt leash) are removed when more than four were used since.
  for (int build = 0; build < 6; ++build)
    fs::create_directories(dir.path() / "c" / fmt::format("{:032x}", build));
  Cache(dir.path() / "c").save();
  size_t folders = 0;
  for (const auto &entry : fs::directory_iterator(dir.path() / "c"))
    folders += entry.is_directory();
  CHECK(folders == 5); // this build's and the four other newest
  CHECK(Cache(dir.path() / "c").lookup(key));
  Cache last(dir.path() / "c");
  CHECK(last.lookup(key));
  CHECK(last.lookup(hash_of("11")));
}

} // namespace
} // namespace leash
