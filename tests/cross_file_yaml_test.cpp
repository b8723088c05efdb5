// YAML judged over the whole scan: a LimitRange covers the workloads of its namespace (or, naming
// none, of its folder and the folders below), and compose files are merged as Compose merges
// them. What a scan does not read is not assumed.
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace leash {
namespace {

using nlohmann::json;
using Seen = std::set<std::string>; // "path:line rule"

Seen only(const std::string &place, const std::string &rule) { return Seen{place + " " + rule}; }

Seen findings(std::vector<std::string> args) {
  args.insert(args.begin(), "check");
  args.insert(args.end(), {"--format", "json"});
  const test::CliRun run = test::run(args);
  INFO(run.err);
  REQUIRE(run.exit_code <= 1);
  Seen seen;
  const json report = json::parse(run.out);
  for (const json &f : report["findings"])
    seen.insert(f["path"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + " " +
                f["rule"].get<std::string>());
  return seen;
}

std::string deployment(const std::string &name, const std::string &metadata_extra,
                       const std::string &resources) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n" +
         metadata_extra +
         "spec:\n  template:\n    spec:\n      containers:\n        - name: " + name +
         "\n          image: example/" + name + "\n" + resources;
}

const std::string kLimit2Gi =
    "          resources:\n            limits:\n              memory: 2Gi\n";

TEST_CASE("a LimitRange covers its namespace and, naming none, the folders below it",
          "[kubernetes]") {
  test::TempDir dir;
  dir.write("team/limits.yaml", "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: team\n"
                                "spec:\n  limits:\n    - type: Container\n      default:\n"
                                "        memory: 512Mi\n      max:\n        memory: 1Gi\n");
  dir.write("team/api/deploy.yaml", deployment("api", "", ""));
  dir.write("team/api/big.yaml", deployment("big", "", kLimit2Gi));
  dir.write("other/deploy.yaml", deployment("other", "", ""));
  dir.write("cluster/prod-limits.yaml",
            "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: prod\n  namespace: prod\n"
            "spec:\n  limits:\n    - type: Container\n      max:\n        memory: 4Gi\n");
  dir.write("apps/prod.yaml", deployment("prod", "  namespace: prod\n", ""));
  dir.write("apps/staging.yaml", deployment("staging", "  namespace: staging\n", kLimit2Gi));

  const Seen expected = {"other/deploy.yaml:9 missing-memory-limit",
                         "team/api/big.yaml:13 memory-limit-above-max"};
  CHECK(findings({"."}) == expected);
  CHECK(findings({"."}) == expected); // warm: the LimitRanges' facts come from the cache
  CHECK(findings({".", "--no-cache", "--jobs", "2"}) == expected);
  // A scan of one file sees no LimitRange: the container is reported, as a pre-commit run on a
  // workload file reports it.
  CHECK(findings({"team/api/deploy.yaml"}) ==
        only("team/api/deploy.yaml:9", "missing-memory-limit"));
  CHECK(findings({"team/api/big.yaml"}).empty());
  // A LimitRange whose max is raised no longer rejects the limit, and its cached facts go.
  dir.write("team/limits.yaml", "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: team\n"
                                "spec:\n  limits:\n    - type: Container\n      max:\n"
                                "        memory: 3Gi\n");
  CHECK(findings({"."}) == only("other/deploy.yaml:9", "missing-memory-limit"));
}

TEST_CASE("compose files of a folder are merged as docker compose merges them", "[compose]") {
  test::TempDir dir;
  dir.write("docker-compose.yml", "services:\n  api:\n    image: example/api\n"
                                  "  db:\n    image: postgres\n    mem_limit: 1g\n");
  dir.write("docker-compose.override.yml", "services:\n  api:\n    mem_limit: 512m\n"
                                           "  db:\n    ports: ['5432:5432']\n");
  CHECK(findings({"."}).empty());
  // Alone, the base is judged alone (a pre-commit run on one file): api has no limit there.
  CHECK(findings({"docker-compose.yml"}) == only("docker-compose.yml:2", "missing-memory-limit"));
  // The override alone: db's limit is in the base, which this scan does not read.
  CHECK(findings({"docker-compose.override.yml"}) ==
        only("docker-compose.override.yml:4", "missing-memory-limit"));
}

TEST_CASE("a kustomize base is judged as each overlay builds it, at the base's line",
          "[kustomize]") {
  test::TempDir dir;
  dir.write("base/kustomization.yaml", "resources:\n  - deployment.yaml\n");
  dir.write("base/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
            "  template:\n    spec:\n      containers:\n"
            "        - name: api\n          image: example/api\n"
            "        - name: worker\n          image: example/worker\n");
  // prod: a strategic-merge patch file for api, a JSON 6902 patch for the second container.
  dir.write("overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\nnamespace: shop\npatches:\n  - path: memory.yaml\n"
            "patchesJson6902:\n  - target: {kind: Deployment, name: api}\n    patch: |-\n"
            "      - op: add\n        path: /spec/template/spec/containers/1/resources\n"
            "        value: {limits: {memory: 1Gi}}\n");
  dir.write("overlays/prod/memory.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          resources:\n            limits:\n              memory: 512Mi\n");
  // qa: a base that renames its objects; the overlay's patch names them as renamed.
  dir.write("renamed/kustomization.yaml", "resources:\n  - ../base\nnamePrefix: qa-\n");
  dir.write(
      "overlays/qa/kustomization.yaml",
      "resources:\n  - ../../renamed\npatches:\n  - target: {kind: Deployment, name: qa-api}\n"
      "    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/resources\n"
      "        value: {limits: {memory: 1Gi}}\n      - op: add\n"
      "        path: /spec/template/spec/containers/1/resources\n"
      "        value: {limits: {memory: 1Gi}}\n");
  // staging: a LimitRange the overlay brings gives both a default.
  dir.write("overlays/staging/kustomization.yaml",
            "resources:\n- ../../base\n- limitrange.yaml\nnamespace: staging\n");
  dir.write("overlays/staging/limitrange.yaml",
            "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n"
            "    - type: Container\n      default:\n        memory: 128Mi\n");
  CHECK(findings({"."}).empty());
  // The base alone is judged alone (no overlay read), and so is the scan of one file.
  CHECK(findings({"base"}) == Seen{"base/deployment.yaml:9 missing-memory-limit",
                                   "base/deployment.yaml:11 missing-memory-limit"});
  CHECK(findings({"base/deployment.yaml"}).size() == 2);

  // dev leaves worker without a limit: reported at the base's line, naming dev.
  dir.write("overlays/dev/kustomization.yaml",
            "resources:\n- ../../base\npatchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n"
            "  kind: Deployment\n  metadata:\n    name: api\n  spec:\n    template:\n"
            "      spec:\n        containers:\n        - name: api\n          resources:\n"
            "            limits:\n              memory: 256Mi\n");
  const auto run = test::run({"check", ".", "--format", "json"});
  const json report = json::parse(run.out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["path"] == "base/deployment.yaml");
  CHECK(report["findings"][0]["line"] == 11);
  CHECK(report["findings"][0]["message"].get<std::string>().find(
            "in what the kustomization overlays/dev/kustomization.yaml builds") !=
        std::string::npos);

  // A patch file that no longer sets the limit: a warm run sees it; the patch itself, a
  // fragment of a workload, is never judged as one.
  dir.write("overlays/prod/memory.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          resources:\n            limits:\n              cpu: 1\n");
  CHECK(findings({"."}) == Seen{"base/deployment.yaml:9 missing-memory-limit",
                                "base/deployment.yaml:11 missing-memory-limit"});
}

} // namespace
} // namespace leash
