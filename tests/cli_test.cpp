// The command line end to end (in-process): exit codes, formats, config, errors, output files.
#include "cli/app.h"
#include "cli/progress.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace leash {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char *kCompose = "services:\n"
                       "  web:\n"
                       "    image: nginx\n"
                       "  cache:\n"
                       "    image: redis:7\n"
                       "    mem_limit: 256m\n"
                       "  legacy:  # leash: ignore[missing-memory-limit]\n"
                       "    image: example/legacy\n";
const char *kDeployment = "apiVersion: apps/v1\n"
                          "kind: Deployment\n"
                          "metadata: {name: api}\n"
                          "spec:\n"
                          "  template:\n"
                          "    spec:\n"
                          "      containers:\n"
                          "        - name: api\n"
                          "          resources: {limits: {memory: 512m}}\n";

// Compares with tests/golden/<name>; LEASH_UPDATE_GOLDEN=1 rewrites the file instead.
void check_golden(const std::string &name, const std::string &actual) {
  const fs::path file = test::kSourceDir / "tests" / "golden" / name;
  if (std::getenv("LEASH_UPDATE_GOLDEN")) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << file.string() << " (LEASH_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(actual == test::read_file(file));
}

void write_project(const test::TempDir &dir) {
  dir.write("deploy/docker-compose.yml", kCompose);
  dir.write("deploy/k8s/api.yaml", kDeployment);
  dir.write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
}

TEST_CASE("exit codes are 0 when clean and 1 on findings and 2 on usage errors", "[cli]") {
  test::TempDir dir;
  dir.write("clean/docker-compose.yml", "services:\n  web: {image: nginx, mem_limit: 1g}\n");
  dir.write("dirty/docker-compose.yml", "services:\n  web: {image: nginx}\n");
  CHECK(test::run({"check", "clean"}).exit_code == 0);
  CHECK(test::run({"check", "dirty"}).exit_code == 1);
  CHECK(test::run({"check", "dirty", "--exit-zero"}).exit_code == 0);
  CHECK(test::run({"check", "dirty", "--ignore", "missing-memory-limit"}).exit_code == 0);
  CHECK(test::run({"check", "dirty", "--select=redis-missing-maxmemory"}).exit_code == 0);
  dir.write("broken/docker-compose.yml", "services: [\n");
  CHECK(test::run({"check", "broken"}).exit_code == 1);
  CHECK(test::run({"check", "broken", "--ignore",
                   "missing-memory-limit,redis-missing-maxmemory,invalid-memory-quantity,"
                   "memory-limit-above-max"})
            .exit_code == 0); // no YAML rule selected: the file is not even parsed

  auto usage = test::run({"check", "dirty", "--fromat", "json"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err == "leash: error: unknown option `--fromat` (did you mean `--format`?)\n");
  usage = test::run({"check", "--select", "missing-memry-limit"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err.find("did you mean `missing-memory-limit`?") != std::string::npos);
  usage = test::run({"check", "no/such/path"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err == "leash: error: no/such/path: no such file or folder\n");
  CHECK(test::run({"check", "--format", "xml"}).exit_code == 2);
  CHECK(test::run({"check", "--jobs", "many"}).exit_code == 2);
  CHECK(test::run({"chek"}).exit_code == 2);
  CHECK(test::run({}).exit_code == 2);
  CHECK(test::run({"--version"}).out.starts_with("leash "));
  CHECK(test::run({"check", "dirty", "--help"}).exit_code == 0);
}

TEST_CASE("text output is one sorted line per finding plus a summary", "[cli][golden]") {
  test::TempDir dir;
  write_project(dir);
  const auto result = test::run({"check"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
  check_golden("text.txt", result.out);
  const auto quiet = test::run({"check", "--quiet"});
  CHECK(quiet.out.find("Found") == std::string::npos);
}

TEST_CASE("JSON output has findings and errors and stats and nothing else on stdout",
          "[cli][golden]") {
  test::TempDir dir;
  write_project(dir);
  dir.write("broken/compose.yaml", "services:\n  web: [\n");
  const auto result = test::run({"check", "--format", "json"});
  CHECK(result.exit_code == 1);
  check_golden("report.json", result.out);
  const json report = json::parse(result.out);
  CHECK(report["stats"]["suppressed"] == 1);
  CHECK(report["errors"][0]["path"] == "broken/compose.yaml");
}

TEST_CASE("SARIF output carries rules and regions and suppressions and parse failures", "[cli]") {
  test::TempDir dir;
  write_project(dir);
  dir.write("broken/compose.yaml", "services:\n  web: [\n");
  const auto result = test::run({"check", "--format", "sarif"});
  const json sarif = json::parse(result.out);
  CHECK(sarif["version"] == "2.1.0");
  const json &run = sarif["runs"][0];
  const json &rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() >= 3);
  for (const json &r : run["results"]) {
    CHECK(rules[r["ruleIndex"].get<int>()]["id"] == r["ruleId"]);
    const json &location = r["locations"][0]["physicalLocation"];
    CHECK(location["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(location["region"]["startLine"].get<int>() >= 1);
    CHECK(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
  }
  int suppressed = 0;
  for (const json &r : run["results"])
    suppressed += r.contains("suppressions") && r["suppressions"][0]["kind"] == "inSource";
  CHECK(suppressed == 1);
  const json &notifications = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notifications.size() == 1);
  CHECK(notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "broken/compose.yaml");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get<std::string>().ends_with("/"));

  dir.write("deploy/docker-compose.yml", "services:\n  web: {image: nginx, mem_limit: 1g}\n");
  fs::remove_all(dir.path() / "deploy/k8s");
  fs::remove_all(dir.path() / "broken");
  const json clean = json::parse(test::run({"check", "--format", "sarif"}).out);
  CHECK(clean["runs"][0]["results"] == json::array());
}

// A chart's templates are rendered with its values (tests/helm_test.cpp); templates without a
// Chart.yaml (a chart's folder copied alone, another tool's templates) are not.
TEST_CASE("Go templates outside a chart are notes, not errors, and the exit code stays 0",
          "[cli]") {
  test::TempDir dir;
  dir.write("chart/values.yaml", "resources: {}\n");
  dir.write("chart/templates/NOTES.txt", "Thanks for installing {{ .Chart.Name }}\n");
  dir.write("chart/templates/_helpers.tpl", "{{- define \"demo.name\" -}}demo{{- end }}\n");
  dir.write("chart/templates/deployment.yaml",
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  labels:\n"
            "    {{- include \"demo.labels\" . | nindent 4 }}\n"
            "spec:\n"
            "  template:\n"
            "    spec:\n"
            "      containers:\n"
            "        - name: {{ .Chart.Name }}\n"
            "          resources:\n"
            "            {{- toYaml .Values.resources | nindent 12 }}\n");
  dir.write("chart/templates/service.yaml", "kind: Service\nmetadata: {name: {{ .Chart.Name }}}\n");
  const auto result = test::run({"check", "--format", "json"});
  CHECK(result.exit_code == 0);
  const json report = json::parse(result.out);
  CHECK(report["errors"].empty());
  CHECK(report["findings"].empty());
  REQUIRE(report["notes"].size() == 1); // the Service holds no container: nothing to say
  CHECK(report["notes"][0]["path"] == "chart/templates/deployment.yaml");
  CHECK(report["notes"][0]["line"] == 5);
  CHECK(report["notes"][0]["message"].get<std::string>().starts_with(
      "a Go template (a Helm chart's, say): not judged as written"));
}

TEST_CASE("a file that does not parse is reported and the rest of the scan goes on", "[cli]") {
  test::TempDir dir;
  for (const char *name : {"docker-compose.yml", "helm-template.yaml"})
    fs::copy_file(test::kSourceDir / "tests/data/errors" / name, dir.path() / name);
  dir.write("z/docker-compose.yml", "services:\n  web: {image: nginx}\n");
  dir.write("binary.yaml",
            std::string("apiVersion: v1\nkind: Pod\n") + std::string("\0\xff\xfe", 3));
  const auto result = test::run({"check", "--format", "json"});
  CHECK(result.exit_code == 1);
  const json report = json::parse(result.out);
  REQUIRE(report["errors"].size() == 2);
  CHECK(report["errors"][0]["path"] == "binary.yaml");
  CHECK(report["errors"][1]["path"] == "docker-compose.yml");
  CHECK(report["errors"][1]["line"] == 4);
  // The broken compose file's valid part is not lost... nor is the next file.
  std::vector<std::string> paths;
  for (const json &f : report["findings"])
    paths.push_back(f["path"]);
  CHECK(paths == std::vector<std::string>{"z/docker-compose.yml"});
}

// The places of a report's findings or errors, `path:line`, sorted.
std::vector<std::string> places(const json &entries) {
  std::vector<std::string> found;
  for (const json &entry : entries)
    found.push_back(
        fmt::format("{}:{}", entry["path"].get<std::string>(), entry["line"].get<int>()));
  std::sort(found.begin(), found.end());
  return found;
}

TEST_CASE("a Python module that names no library an enabled check looks for is not parsed",
          "[cli][python]") {
  test::TempDir dir;
  // Both are broken; only the one that imports a library the call rules look at may hold a
  // finding, so only its syntax error is seen (as C/C++ units that cannot match are not parsed).
  dir.write("plain.py", "def broken(:\n    pass\n");
  dir.write("client.py", "import redis\ndef broken(:\n    pass\nr = redis.Redis(host='h')\n");
  // A config's own wrapper is looked for through the module it is imported from.
  dir.write("app.py", "from acme.cache import make_client\ndef broken(:\n    pass\n"
                      "c = make_client()\n");
  // A builtin's instance: the word is the class's name (`Client`), not `Client()`.
  dir.write("local.py", "def broken(:\n    pass\nc = Client(host)\nc.send()\n");
  json report = json::parse(test::run({"check", ".", "--format", "json"}).out);
  CHECK(places(report["errors"]) == std::vector<std::string>{"client.py:2"});
  CHECK(places(report["findings"]) == std::vector<std::string>{"client.py:4", "client.py:4"});
  dir.write(".leash.yaml", "rules:\n  missing-socket-timeout:\n    targets:\n      python:\n"
                           "        - callees: [acme.cache.make_client]\n"
                           "          require: [{keyword: socket_timeout}]\n"
                           "          message: no timeout\n"
                           "        - callees: [builtins.Client().send]\n"
                           "          require: [{keyword: timeout}]\n"
                           "          message: no timeout\n");
  report = json::parse(test::run({"check", ".", "--format", "json"}).out);
  CHECK(places(report["errors"]) ==
        std::vector<std::string>{"app.py:2", "client.py:2", "local.py:1"});
  CHECK(places(report["findings"]) ==
        std::vector<std::string>{"app.py:4", "client.py:4", "client.py:4", "local.py:4"});
  // A check that may find something in any module (grow-only-container) has every module parsed.
  report = json::parse(
      test::run({"check", ".", "--format", "json", "--select", "grow-only-container"}).out);
  CHECK(places(report["errors"]) ==
        std::vector<std::string>{"app.py:2", "client.py:2", "local.py:1", "plain.py:1"});
}

TEST_CASE("client classes another module derives are judged where they are built: any number",
          "[cli][python]") {
  test::TempDir dir;
  // More classes than are searched for one by one: a module's words are looked up instead.
  std::string clients = "import redis\n";
  for (int i = 0; i < 40; ++i)
    clients += fmt::format("class Client{}(redis.Redis):\n    pass\n", i);
  clients += "class Own(redis.Redis):\n    def __init__(self):\n"
             "        super().__init__(socket_timeout=1)\n";
  dir.write("app/clients.py", clients);
  dir.write("app/cached.py", "from .clients import Client7\nclass Cached(Client7):\n    pass\n");
  dir.write("app/use.py", "from app.clients import Client3, Own\nfrom app.cached import Cached\n"
                          "a = Client3(host='h')\nb = Own()\nc = Cached(host='h')\n"
                          "d = Client3(host='h', socket_timeout=2)\n");
  dir.write("app/other.py", "from app import clients\ne = clients.Client39(host='h')\n");
  const json report = json::parse(
      test::run({"check", ".", "--format", "json", "--select", "missing-socket-timeout"}).out);
  const std::vector<std::string> found = places(report["findings"]);
  CHECK(found == std::vector<std::string>{"app/other.py:2", "app/use.py:3", "app/use.py:5"});
}

TEST_CASE("a client class is judged only when what building it runs is certain", "[cli][python]") {
  test::TempDir dir;
  // The same package path in two services: each module gets its own service's class.
  dir.write("services/a/app/clients.py", "import redis\nclass AppRedis(redis.Redis):\n    pass\n");
  dir.write("services/a/app/main.py", "from app.clients import AppRedis\nr = AppRedis(host='h')\n");
  dir.write("services/b/app/clients.py",
            "import redis\nclass AppRedis(redis.Redis):\n    def __init__(self, **kw):\n"
            "        super().__init__(socket_timeout=5, **kw)\n");
  dir.write("services/b/app/main.py", "from app.clients import AppRedis\nr = AppRedis(host='h')\n");
  // A module of the project named after the library does not hide the library's class.
  dir.write("lib/myapp/redis.py", "import redis\nclass Redis(redis.Redis):\n    pass\n");
  dir.write("lib/other/own.py",
            "import redis\nclass Own(redis.Redis):\n    pass\no = Own(host='h')\n");
  dir.write("lib/other/use.py", "from myapp import redis\nu = redis.Redis(host='h')\n");
  // A diamond whose right branch sets the timeout: Python runs that __init__.
  dir.write("d/diamond.py", "import redis\nclass Base(redis.Redis):\n    pass\n"
                            "class Tagged(Base):\n    pass\n"
                            "class WithTimeout(Base):\n    def __init__(self, **kw):\n"
                            "        super().__init__(socket_timeout=5, **kw)\n"
                            "class App(Tagged, WithTimeout):\n    pass\n"
                            "a = App(host='h')\n");
  // A session whose `request` is assigned, not defined, and a stub that does not show it.
  dir.write("s/sess.py", "import functools\nimport requests\n"
                         "class TimeoutSession(requests.Session):\n"
                         "    request = functools.partialmethod(requests.Session.request, "
                         "timeout=10)\n");
  dir.write("s/sess.pyi", "import requests\nclass TimeoutSession(requests.Session): ...\n");
  dir.write("s/use.py", "from s.sess import TimeoutSession\ns = TimeoutSession()\n"
                        "s.get('https://example.com')\n");
  // A mixin of the project's own, with no base list, from another module: known, so judged.
  dir.write("k/mixins.py", "class KeyHelpers:\n    def key(self, *parts):\n"
                           "        return ':'.join(parts)\n");
  dir.write("k/keyed.py", "import redis\nfrom k.mixins import KeyHelpers\n"
                          "class Keyed(KeyHelpers, redis.Redis):\n    pass\nk = Keyed(host='h')\n");
  // A cycle across modules (Python would refuse it): walked once, no hang.
  dir.write("c/one.py", "import redis\nfrom c.two import B\nclass A(B, redis.Redis):\n    pass\n"
                        "a = A(host='h')\n");
  dir.write("c/two.py", "import redis\nfrom c.one import A\nclass B(A):\n    pass\n");
  const json report = json::parse(test::run({"check", ".", "--format", "json", "--select",
                                             "missing-socket-timeout,missing-http-timeout"})
                                      .out);
  const std::vector<std::string> found = places(report["findings"]);
  CHECK(found == std::vector<std::string>{"c/one.py:5", "k/keyed.py:5", "lib/other/own.py:4",
                                          "lib/other/use.py:2", "services/a/app/main.py:2"});
  CHECK(report["errors"].empty());
}

// A JSON run that could not read one file, for `message`, and went on with the rest: exit 1, that
// file's error, and `findings` findings from the other files.
void check_one_unread(const test::CliRun &run, const std::string &path, const std::string &message,
                      size_t findings) {
  CHECK(run.exit_code == 1);
  const json report = json::parse(run.out);
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["path"] == path);
  CHECK(report["errors"][0]["message"] == message);
  CHECK(report["findings"].size() == findings);
}

TEST_CASE("a FIFO among the inputs is an error naming it, never a wait for a writer", "[cli]") {
  test::TempDir dir;
  dir.write("docker-compose.yml", "services:\n  web: {image: nginx}\n");
  REQUIRE(::mkfifo((dir.path() / "pipe.yaml").c_str(), 0600) == 0);
  for (const std::vector<std::string> &args :
       {std::vector<std::string>{"check", "--no-cache", "--format", "json"},
        std::vector<std::string>{"check", "--no-cache", "--format", "json", "pipe.yaml",
                                 "docker-compose.yml"}}) {
    check_one_unread(test::run(args), "pipe.yaml",
                     "not a regular file (a FIFO, a device or a socket): not read", 1);
  }
}

TEST_CASE("a file over the size budget is an error naming it, and the budget is configurable",
          "[cli]") {
  test::TempDir dir;
  const std::string service = "services:\n  web: {image: nginx}\n";
  dir.write("small/docker-compose.yml", service);
  // 1.5 MiB: a long comment line, then a real service.
  dir.write("large/docker-compose.yml", "# " + std::string(3 << 19, 'x') + "\n" + service);
  const auto fits = test::run({"check", "--no-cache", "--format", "json"});
  CHECK(json::parse(fits.out)["errors"].empty());
  CHECK(json::parse(fits.out)["findings"].size() == 2);

  dir.write(".leash.yaml", "max_file_size: 1\n");
  check_one_unread(test::run({"check", "--no-cache", "--format", "json"}),
                   "large/docker-compose.yml",
                   "file is larger than the 1 MiB leash reads (max_file_size)", 1);

  dir.write(".leash.yaml", "max_file_size: 0\n");
  const auto invalid = test::run({"check", "--no-cache"});
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.err.find(".leash.yaml:1:16: `max_file_size` must be a whole number of MiB") !=
        std::string::npos);
}

TEST_CASE("a file over the time budget is an error naming it, and the budget is configurable",
          "[cli]") {
  test::TempDir dir;
  dir.write("docker-compose.yml", "services:\n  web: {image: nginx}\n");
  // 20,000 functions, each with a finding: a few tens of milliseconds to analyze.
  std::string python = "import requests\n";
  for (int i = 0; i < 20000; ++i)
    python += fmt::format("def f{}(url):\n    return requests.get(url)\n", i);
  dir.write("big/big.py", python);
  const auto fits = test::run({"check", "--no-cache", "--format", "json"});
  CHECK(json::parse(fits.out)["errors"].empty());
  CHECK(json::parse(fits.out)["findings"].size() == 20001);

  // One millisecond, for big/ only (the compose file keeps the default budget, which a loaded
  // machine cannot exhaust): the Python file is not judged, and none of its findings is kept.
  dir.write("big/.leash.yaml", "max_file_seconds: 0.001\n");
  check_one_unread(test::run({"check", "--no-cache", "--format", "json"}), "big/big.py",
                   "not judged: its analysis took longer than the 0.001 s leash gives a file "
                   "(max_file_seconds)",
                   1);
  dir.write("big/.leash.yaml", "max_file_seconds: 0\n"); // no limit
  CHECK(
      json::parse(test::run({"check", "--no-cache", "--format", "json"}).out)["findings"].size() ==
      20001);

  dir.write("big/.leash.yaml", "max_file_seconds: 1h\n");
  const auto invalid = test::run({"check", "--no-cache"});
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.err.find("big/.leash.yaml:1:19: `max_file_seconds` must be a number of seconds") !=
        std::string::npos);
}

TEST_CASE("a path that is not UTF-8 is scanned, and JSON and SARIF stay valid", "[cli]") {
  test::TempDir dir;
  dir.write("bad\xffname.yml", "services:\n  a: {image: nginx}\n");
  const auto as_json = test::run({"check", "--no-cache", "--format", "json"});
  CHECK(as_json.exit_code == 1);
  const json report = json::parse(as_json.out); // valid: the byte is U+FFFD there
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["path"] == "bad\xef\xbf\xbdname.yml");
  const json sarif = json::parse(test::run({"check", "--no-cache", "--format", "sarif"}).out);
  CHECK(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
             ["uri"] == "bad%FFname.yml"); // percent-encoded: the exact name
}

TEST_CASE("the report goes atomically to the output file and nothing to stdout", "[cli]") {
  test::TempDir dir;
  write_project(dir);
  const auto to_stdout = test::run({"check", "--format", "sarif"});
  const auto to_file = test::run({"check", "--format", "sarif", "--output", "out/leash.sarif"});
  CHECK(to_file.exit_code == 2); // the folder does not exist
  CHECK(to_file.err.find("out/leash.sarif: cannot create a temporary file") != std::string::npos);
  fs::create_directory(dir.path() / "out");
  const auto written = test::run({"check", "--format", "sarif", "--output", "out/leash.sarif"});
  CHECK(written.exit_code == 1);
  CHECK(written.out.empty());
  CHECK(test::read_file(dir.path() / "out/leash.sarif") == to_stdout.out);
  CHECK(std::distance(fs::directory_iterator(dir.path() / "out"), fs::directory_iterator()) == 1);
}

TEST_CASE("the config file selects rules and sets severities and excludes paths", "[cli]") {
  test::TempDir dir;
  write_project(dir);
  dir.write(".leash.yaml", "exclude: [k8s]\n"
                           "rules:\n"
                           "  missing-memory-limit: {severity: error}\n");
  const json report = json::parse(
      test::run({"check", "deploy", "--format", "json", "--select", "missing-memory-limit"}).out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["severity"] == "error");
  CHECK(report["findings"][0]["path"] == "deploy/docker-compose.yml");

  // Found above the working directory, its globs are still relative to its own folder.
  fs::current_path(dir.path() / "deploy");
  const json from_below = json::parse(test::run({"check", ".", "--format", "json"}).out);
  CHECK(from_below["findings"].size() == 2); // the compose file's, not the excluded k8s one
  fs::current_path(dir.path());

  dir.write(".leash.yaml", "rules:\n  missing-memory-limit: {severty: error}\n");
  const auto bad = test::run({"check", "deploy"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "leash: error: .leash.yaml:2:26: unknown key `severty` for rule "
                   "`missing-memory-limit` (did you mean `severity`?)\n");
}

TEST_CASE("an opt-in rule runs only when selected by name", "[cli][config]") {
  test::TempDir dir;
  dir.write("app.py", "import redis\n"
                      "r = redis.Redis(host='cache')\n"
                      "SEEN = {}\n"
                      "def handle(request):\n"
                      "    SEEN[request.user_id] = request\n");
  const auto rules_of = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"check", "app.py", "--format", "json"});
    std::vector<std::string> rules;
    const json report = json::parse(test::run(args).out);
    for (const json &finding : report["findings"])
      rules.push_back(finding["rule"]);
    std::sort(rules.begin(), rules.end());
    return rules;
  };
  const std::vector<std::string> both = {"grow-only-container", "missing-socket-timeout",
                                         "unpooled-redis-client"};
  const std::vector<std::string> others = {"missing-socket-timeout", "unpooled-redis-client"};
  CHECK(rules_of({}) == others);
  CHECK(rules_of({"--select", "grow-only-container"}) ==
        std::vector<std::string>{"grow-only-container"});
  CHECK(rules_of({"--extend-select", "grow-only-container"}) == both);
  dir.write(".leash.yaml", "extend-select: [grow-only-container]\n");
  CHECK(rules_of({}) == both);
  CHECK(rules_of({"--ignore", "grow-only-container"}) == others);
  // --select replaces the config's selection, its extend-select included.
  CHECK(rules_of({"--select", "missing-socket-timeout"}) ==
        std::vector<std::string>{"missing-socket-timeout"});
  dir.write(".leash.yaml", "select: [missing-socket-timeout]\n"
                           "extend-select: [grow-only-container]\n");
  CHECK(rules_of({}) == std::vector<std::string>{"grow-only-container", "missing-socket-timeout"});
  dir.write(".leash.yaml", "extend-select: [grow-only-containers]\n");
  const auto typo = test::run({"check", "app.py"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err == "leash: error: .leash.yaml:1:17: unknown rule `grow-only-containers` (did you "
                    "mean `grow-only-container`?)\n");
  CHECK(test::run({"rules"}).out.find("never removed from. (opt-in)") != std::string::npos);
}

TEST_CASE("output is identical whatever the number of jobs", "[cli]") {
  std::vector<std::string> inputs = {(test::kSourceDir / "fixtures").string(),
                                     (test::kSourceDir / "tests/data").string()};
  if (fs::is_directory(LEASH_CORPUS_DIR))
    inputs.push_back(LEASH_CORPUS_DIR);
  // One run writes both reports: JSON to a file, SARIF to stdout.
  test::TempDir dir;
  auto with = [&](const std::string &jobs) {
    const fs::path json_file = dir.path() / ("report-" + jobs + ".json");
    std::vector<std::string> args = {"check", "--format", "sarif", "--format",
                                     "json:" + json_file.string(),
                                     "--extend-select", // every rule, the opt-in one included
                                                        // (its C++ check stays off)
                                     "grow-only-container", "--jobs", jobs, "--no-cache"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    const auto run = test::run(args);
    return std::pair{run.out, test::read_file(json_file)};
  };
  const auto one = with("1");
  CHECK(one.first.size() > 1000);
  CHECK(one.second.size() > 1000);
  for (const char *jobs : {"2", "8"}) {
    INFO("--jobs " << jobs);
    const auto other = with(jobs);
    CHECK(one.first == other.first);   // SARIF, byte for byte
    CHECK(one.second == other.second); // JSON
  }
}

TEST_CASE("a progress line shows on a terminal only when a scan takes a while", "[cli]") {
  ScanProgress progress;
  progress.total = 10;
  progress.done = 3;
  progress.current = "src/a.cpp";
  std::ostringstream quick;
  { ProgressLine line(progress, quick); }
  CHECK(quick.str().empty());
  std::ostringstream slow;
  {
    ProgressLine line(progress, slow);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
  }
  CHECK(slow.str().starts_with("\r\x1b[Kleash: 3/10 files, parsing src/a.cpp"));
  CHECK(slow.str().ends_with("\r\x1b[K")); // erased before the report
  // Never with a machine format on stdout, nor with --quiet.
  test::TempDir dir;
  dir.write("docker-compose.yml", "services:\n  web: {image: nginx}\n");
  for (const std::vector<std::string> &args :
       {std::vector<std::string>{"check", "--format", "json"}, {"check", "--quiet"}}) {
    std::ostringstream out, err;
    run_cli(args, out, err, {true, true});
    CHECK(err.str().empty());
  }
}

TEST_CASE("rules and explain come from the catalog", "[cli]") {
  const auto rules = test::run({"rules"});
  CHECK(rules.exit_code == 0);
  CHECK(rules.out.find("missing-memory-limit") != std::string::npos);
  const auto explain = test::run({"explain", "redis-missing-maxmemory"});
  CHECK(explain.out.starts_with("# redis-missing-maxmemory\n"));
  CHECK(explain.out.find("## Options\n- `images`") != std::string::npos);
  const auto unknown = test::run({"explain", "redis-maxmemory"});
  CHECK(unknown.exit_code == 2);
  const json listed = json::parse(test::run({"rules", "--format", "json"}).out);
  CHECK(listed.size() >= 3);
  for (const json &rule : listed)
    if (rule["id"] == "grow-only-container") {
      CHECK(rule["opt_in"] == true);
      CHECK(rule["languages"] == json::array({"python", "cpp"}));
      CHECK(rule["opt_in_languages"] == json::array({"cpp"}));
    } else if (rule["id"] == "missing-socket-timeout") {
      CHECK(rule["opt_in"] == false);
      CHECK(rule["opt_in_languages"].empty());
    }
  // The opt-in language says so, with the config that turns it on.
  CHECK(rules.out.find("python, cpp (opt-in)") != std::string::npos);
  CHECK(test::run({"explain", "grow-only-container"}).out.find("    languages: [python, cpp]\n") !=
        std::string::npos);
}

} // namespace
} // namespace leash
