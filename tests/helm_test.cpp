// Helm chart templates rendered line for line with the chart's values (frontend/yaml/helm.h):
// what is rendered, what is left unknown, where findings land, and the `helm: values` setting.
#include "frontend/yaml/helm.h"
#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace leash {
namespace {

using nlohmann::json;

yaml::RenderedTemplate render(const std::string &text, const std::string &values) {
  static std::vector<std::unique_ptr<SourceFile>> sources; // the documents point into them
  sources.push_back(std::make_unique<SourceFile>("values.yaml", values));
  static std::vector<yaml::ParsedFile> parsed;
  parsed.push_back(yaml::parse_documents(*sources.back()));
  std::vector<const yaml::Document *> layers;
  if (!parsed.back().documents.empty())
    layers.push_back(&parsed.back().documents.front());
  return yaml::render_template(text, layers);
}

size_t lines(const std::string &text) { return std::count(text.begin(), text.end(), '\n') + 1; }

TEST_CASE("a template renders line for line with its values", "[helm]") {
  const std::string values = "name: api\nres:\n  limits:\n    memory: 1Gi\nempty: {}\n"
                             "on: true\noff: false\n";
  const std::string text = "metadata:\n"
                           "  name: {{ .Values.name }}-x\n"
                           "  quoted: \"{{ .Values.name }}:{{ .Chart.AppVersion }}\"\n"
                           "{{- if .Values.off }}\n"
                           "  hidden: 1\n"
                           "{{- else if .Values.on }}\n"
                           "  shown: 1\n"
                           "{{- end }}\n"
                           "resources:\n"
                           "  {{- toYaml .Values.res | nindent 2 }}\n"
                           "{{- with .Values.empty }}\n"
                           "skipped: {{ toYaml . }}\n"
                           "{{- end }}\n"
                           "labels:\n"
                           "  {{- include \"x.labels\" . | nindent 2 }}\n"
                           "spec:\n"
                           "  {{- include \"x.more\" . | nindent 2 }}\n"
                           "  after: 1\n";
  const yaml::RenderedTemplate out = render(text, values);
  REQUIRE(out.unrendered_lines.empty());
  CHECK(lines(out.text) == lines(text));
  CHECK(out.text == "metadata:\n"
                    "  name: api-x\n"
                    "  quoted: \"api:${helm}\"\n"
                    "\n"
                    "\n"
                    "\n"
                    "  shown: 1\n"
                    "\n"
                    "resources:\n"
                    "  {\"limits\": {\"memory\": \"1Gi\"}}\n"
                    "\n"
                    "skipped: {}\n" // a `with` Helm leaves out, from its empty values key
                    "\n"
                    "labels:\n"
                    "  __leash_unrendered__15: \"${helm}\"\n"
                    "spec:\n"
                    "  __leash_unrendered__17: \"${helm}\"\n"
                    "  after: 1\n");
  REQUIRE(out.origins.size() == 2);
  CHECK(out.origins[0].line == 10);
  CHECK(out.origins[0].key == "res");
  CHECK(out.origins[0].span.start.line == 2);
  CHECK(out.origins[1].line == 12);
  CHECK(out.origins[1].key == "empty");
  CHECK(out.origins[1].span.start.line == 5);
}

TEST_CASE("conditions read values through and, or, not, eq, empty and variables", "[helm]") {
  const std::string values = "kind: Deployment\non: true\noff: false\nlist: []\n";
  const auto shown = [&](const std::string &condition) {
    return render("{{- " + condition + " }}\nshown: 1\n{{- end }}\n", values).text ==
           "\nshown: 1\n\n";
  };
  CHECK(shown("if and .Values.on (not .Values.off)"));
  CHECK_FALSE(shown("if and .Values.off (include \"x\" .)")); // decided before the unknown
  CHECK(shown("if or .Values.off .Values.on"));
  CHECK(shown("if eq .Values.kind \"Deployment\""));
  CHECK_FALSE(shown("if ne .Values.kind \"Deployment\""));
  CHECK(shown("if empty .Values.list"));
  CHECK(shown("if include \"x\" .")); // unknown: the first branch
  const std::string with_variable = "{{- $on := or .Values.off .Values.list -}}\n"
                                    "{{- if $on }}\nshown: 1\n{{- end }}\n";
  CHECK(render(with_variable, values).text == "\n\n\n\n");
}

TEST_CASE("what a template does that leash does not model is said, not guessed", "[helm]") {
  // A value chosen amid YAML text is unknown.
  CHECK(render("a: 1\nb: {{ if .Values.x }}1{{ else }}2{{ end }}\n", "x: 1\n").text ==
        "a: 1\nb: ${helm}1${helm}2${helm}\n");
  // A block opened amid YAML text stays as written (its document is then a note).
  const auto opened = render("a: 1\nb: 2 {{- if .Values.x }}\nc: 3\n{{- end }}\n", "x: 1\n");
  CHECK(opened.unrendered_lines == std::vector<int>{2});
  CHECK(opened.text == "a: 1\nb: 2 {{- if .Values.x }}\nc: 3\n\n");
  // An `end` without a block.
  CHECK(render("a: 1\n{{- end }}\n", "").broken);
}

std::vector<std::string> seen(const test::CliRun &run) {
  std::vector<std::string> out;
  const json report = json::parse(run.out);
  for (const json &f : report["findings"])
    out.push_back(f["path"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()));
  return out;
}

const char *const kTemplate = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                              "  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n"
                              "      containers:\n        - name: api\n          image: x\n"
                              "          resources:\n"
                              "            {{- toYaml .Values.resources | nindent 12 }}\n";

TEST_CASE("a chart's gap in its values is reported at the values line, and named values count",
          "[helm]") {
  test::TempDir dir;
  dir.write("chart/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.0.0\n");
  dir.write("chart/values.yaml", "replicas: 1\nresources: {}\n");
  dir.write("chart/templates/deployment.yaml", kTemplate);
  dir.write("chart/templates/NOTES.txt", "{{ .Release.Name }} is installed\n");
  // The other idiom: a `with` block that Helm leaves out when the values are empty.
  dir.write("chart/templates/worker.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: worker\n"
            "          image: x\n          {{- with .Values.worker.resources }}\n"
            "          resources:\n            {{- toYaml . | nindent 12 }}\n"
            "          {{- end }}\n");
  dir.write("chart/values.yaml", "replicas: 1\nresources: {}\nworker:\n  resources: {}\n");
  const auto run = test::run({"check", ".", "--format", "json"});
  CHECK(run.exit_code == 1);
  CHECK(seen(run) == std::vector<std::string>{"chart/values.yaml:2", "chart/values.yaml:4"});
  CHECK(json::parse(run.out)["findings"][0]["message"].get<std::string>().find(
            "under `resources` here") != std::string::npos);
  CHECK(json::parse(run.out)["notes"].empty());

  // A values file the config names is merged over values.yaml: its limit counts (and a warm
  // run sees the change in a file that is not itself scanned).
  dir.write("deploy/prod.yaml", "resources:\n  limits:\n    memory: 1Gi\n"
                                "worker:\n  resources:\n    limits:\n      memory: 1Gi\n");
  dir.write(".leash.yaml", "helm:\n  values: [deploy/prod.yaml]\n");
  CHECK(test::run({"check", "."}).exit_code == 0);
  // The gap is then reported in the last values file that sets the key: where to add it.
  dir.write("deploy/prod.yaml", "resources:\n  requests:\n    memory: 1Gi\n"
                                "worker:\n  resources:\n    limits:\n      memory: 1Gi\n");
  CHECK(seen(test::run({"check", ".", "--format", "json"})) ==
        std::vector<std::string>{"deploy/prod.yaml:1"});

  // A typo is an error naming the line; so is a values file that is not there.
  dir.write(".leash.yaml", "helm:\n  valuse: [deploy/prod.yaml]\n");
  auto bad = test::run({"check", "."});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(".leash.yaml:2:3: unknown key `valuse` in `helm` (did you mean `values`?)") !=
        std::string::npos);
  dir.write(".leash.yaml", "helm:\n  values: [deploy/stage.yaml]\n");
  bad = test::run({"check", "."});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(".leash.yaml:2:12: `helm: values`: no file deploy/stage.yaml") !=
        std::string::npos);
}

TEST_CASE("a chart template leash cannot render is a note naming the line", "[helm]") {
  test::TempDir dir;
  dir.write("chart/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.0.0\n");
  dir.write("chart/templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                               "  name: a {{- if .Values.x }}-x\n  {{- end }}\n");
  const auto run = test::run({"check", ".", "--format", "json"});
  CHECK(run.exit_code == 0);
  const json notes = json::parse(run.out)["notes"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["message"].get<std::string>().find(
            "line 4 holds a template construct leash does not render") != std::string::npos);
}

TEST_CASE("a template's chart is the nearest folder above whose templates/ holds it", "[helm]") {
  const test::TempDir dir; // the working directory: display paths are relative to it
  dir.write("Chart.yaml", "name: top\n");
  dir.write("templates/deploy.yaml", "");
  dir.write("charts/web/Chart.yaml", "name: web\n");
  dir.write("charts/web/templates/sub/deploy.yaml", "");
  dir.write("plain/templates/deploy.yaml", ""); // no Chart.yaml beside templates/

  using std::filesystem::path;
  CHECK(yaml::chart_of("templates/deploy.yaml") == path());
  CHECK(yaml::chart_of("./templates/deploy.yaml") == path("."));
  CHECK(yaml::chart_of("charts/web/templates/deploy.yaml") == path("charts/web"));
  CHECK(yaml::chart_of("charts/web/templates/sub/deploy.yaml") == path("charts/web"));
  CHECK(yaml::chart_of("charts//web/templates/deploy.yaml") == path("charts//web"));
  CHECK(yaml::chart_of(dir.path() / "charts/web/templates/deploy.yaml") ==
        dir.path() / "charts/web");
  CHECK_FALSE(yaml::chart_of("plain/templates/deploy.yaml"));
  CHECK_FALSE(yaml::chart_of("charts/web/values.yaml"));
  CHECK_FALSE(yaml::chart_of("deploy.yaml"));
  CHECK_FALSE(yaml::chart_of("/templates/deploy.yaml")); // the root holds no Chart.yaml
}

} // namespace
} // namespace leash
