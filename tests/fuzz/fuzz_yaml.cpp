// The YAML front end, the compose and Kubernetes models and every YAML check, on arbitrary bytes
// under the file names that route them: a compose name, any manifest, a Helm chart's template
// (rendered with fixed values) or its values (for a fixed template), and a kustomization (which
// reads what it names beside it).
#include "tests/fuzz/fuzz_support.h"

#include <array>
#include <string_view>

namespace {

constexpr std::string_view kTemplate =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n"
    "  template:\n    spec:\n      containers:\n        - name: app\n"
    "          {{- with .Values.resources }}\n          resources:\n"
    "            {{- toYaml . | nindent 12 }}\n          {{- end }}\n";
constexpr std::string_view kValues = "name: app\nresources: {}\nworker:\n  memory: 1Gi\n";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool chart = [] {
    leash::fuzz::write("chart/Chart.yaml", "apiVersion: v2\nname: fuzz\nversion: 0.1.0\n");
    leash::fuzz::write("base/deployment.yaml",
                       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n"
                       "  template:\n    spec:\n      containers:\n        - name: app\n");
    leash::fuzz::write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    return true;
  }();
  (void)chart;
  static constexpr std::array<const char *, 7> kNames = {
      "docker-compose.yml",     "deploy/app.yaml",   "compose.override.yaml",     "k8s/redis.yml",
      "chart/templates/t.yaml", "chart/values.yaml", "overlay/kustomization.yaml"};
  // The name comes from the size, so that seed files are read as they are.
  const std::string_view name = kNames[size % kNames.size()];
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  if (name == "chart/values.yaml") { // the values, read for a fixed template
    leash::fuzz::write(name, bytes);
    leash::fuzz::write("chart/templates/fixed.yaml", kTemplate);
    (void)leash::fuzz::scan_one("chart/templates/fixed.yaml");
    return 0;
  }
  if (name == "chart/templates/t.yaml")
    leash::fuzz::write("chart/values.yaml", kValues);
  leash::fuzz::write(name, bytes);
  (void)leash::fuzz::scan_one(name);
  return 0;
}
