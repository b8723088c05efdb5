// The YAML front end: picks out compose files and Kubernetes manifests, parses them document by
// document, and runs the YAML checks on what it found.
#include "core/discovery.h"
#include "core/read_file.h"
#include "frontend/yaml/helm.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

#include <filesystem>
#include <iterator>

namespace leash::yaml {

namespace {

// Whether a line at column 0 starts with `key:` (YAML's own way to say a top-level key).
bool has_top_level_key(std::string_view text, std::string_view key) {
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const size_t after = at + key.size();
    if (line_start && after < text.size() && text[after] == ':')
      return true;
  }
  return false;
}

// What leash reads of a chart's values.yaml.
constexpr size_t kMaxValuesBytes = size_t{16} << 20;

// A values file, parsed.
struct ValuesFile {
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
};

// A chart template rendered with the chart's values (see frontend/yaml/helm.h), parsed; what the
// checks' findings and documents point into lives here.
struct HelmRendering {
  std::vector<ValuesFile> values;
  RenderedTemplate rendered;
  std::unique_ptr<SourceFile> rendered_source;
  ParsedFile parsed;
};

// The values files of a chart, in merge order: its values.yaml, then `helm: values`.
std::vector<std::filesystem::path> values_files(const std::filesystem::path &chart,
                                                const Settings &settings) {
  std::vector<std::filesystem::path> files = {chart / "values.yaml"};
  for (const std::filesystem::path &file : settings.config().helm.values)
    files.push_back(display_path(file));
  return files;
}

// nullopt when a values file cannot be read or parsed, or the template's blocks do not close
// (`why` says which): then the template is a note, as any other.
std::optional<HelmRendering> render_chart_template(const SourceFile &source,
                                                   const std::filesystem::path &chart,
                                                   const Settings &settings, std::string *why) {
  HelmRendering helm;
  std::vector<const Document *> layers;
  for (const std::filesystem::path &path : values_files(chart, settings)) {
    std::string text;
    if (const auto failure = read_regular_file(path, kMaxValuesBytes, text)) {
      if (path == chart / "values.yaml" && !failure->too_large && !std::filesystem::exists(path))
        continue; // a chart without values of its own
      *why = fmt::format("its values file {}: {}", path.generic_string(), failure->message);
      return std::nullopt;
    }
    ValuesFile &values = helm.values.emplace_back();
    values.source = std::make_unique<SourceFile>(path.generic_string(), std::move(text));
    values.parsed = parse_documents(*values.source);
    if (!values.parsed.errors.empty()) {
      *why = fmt::format("its values file {} is not valid YAML at line {}", values.source->path(),
                         values.parsed.errors.front().line);
      return std::nullopt;
    }
    if (!values.parsed.documents.empty())
      layers.push_back(&values.parsed.documents.front());
  }
  helm.rendered = render_template(source.text(), layers);
  if (helm.rendered.broken) {
    *why = "its blocks do not close as Go templates close them"; // `end` without a block
    return std::nullopt;
  }
  // Each document on its own: one leash cannot follow is a note, the others are judged.
  helm.rendered_source = std::make_unique<SourceFile>(source.path(), helm.rendered.text);
  helm.parsed =
      parse_documents(*helm.rendered_source, holds_no_containers, &helm.rendered.unrendered_lines);
  return helm;
}

class YamlFrontend final : public Frontend {
public:
  Language language() const override { return Language::Yaml; }

  void analyze(const SourceFile &source, const Settings &settings, const RunContext & /*run*/,
               FileResult &result) const override {
    if (!any_check_enabled<YamlCheck>(settings))
      return; // every YAML rule is deselected: nothing to parse for
    const std::string file_name = std::filesystem::path(source.path()).filename().string();
    const bool compose_name = is_compose_file_name(file_name);
    const std::string_view text = source.text();
    if (is_kustomization_file_name(file_name)) {
      KustomizeBuild build = build_kustomization(source, settings.config().max_file_bytes);
      result.analyzed = true;
      std::move(build.dependencies.begin(), build.dependencies.end(),
                std::back_inserter(result.dependencies));
      if (!build.problems.empty())
        result.notes.push_back(
            {source.path(), 1, 1,
             fmt::format("kustomize: {}{}; what it would bring is not judged",
                         build.problems.front(),
                         build.problems.size() > 1
                             ? fmt::format(" (and {} more)", build.problems.size() - 1)
                             : std::string())});
      for_each_enabled_check<YamlCheck>(source, settings, result,
                                        [&](const YamlCheck &check, CheckContext &context) {
                                          check.check_kustomization(build, context);
                                        });
      return;
    }
    // Most YAML in a repository (CI workflows, app config) is neither: skip it unparsed.
    if (!compose_name && !has_top_level_key(text, "services") &&
        !(has_top_level_key(text, "apiVersion") || has_top_level_key(text, "kind")))
      return;

    // A Helm chart's template is judged as rendered with the chart's values, at its own lines,
    // and parsed once, as rendered.
    std::optional<HelmRendering> helm;
    std::string not_rendered; // why a chart's template is not
    if (text.find("{{") != std::string_view::npos)
      if (const auto chart = chart_of(source.path()))
        helm = render_chart_template(source, *chart, settings, &not_rendered);
    ParsedFile parsed =
        helm ? std::move(helm->parsed) : parse_documents(source, holds_no_containers);
    if (helm) {
      for (Document &document : parsed.documents)
        document.set_origins(&helm->rendered.origins);
      // Rendered YAML that does not parse is leash's limit, not the chart's error.
      for (const ParseError &error : parsed.errors)
        result.notes.push_back(
            {source.path(), error.line, error.column,
             fmt::format("a Helm chart's template not judged: rendered with the chart's "
                         "values, this document is not YAML leash can read ({}); `helm "
                         "template CHART > rendered.yaml`, then scan rendered.yaml, judges it",
                         error.message)});
      parsed.errors.clear();
      if (!parsed.templates.empty())
        not_rendered = fmt::format("line {} holds a template construct leash does not render",
                                   parsed.templates.front());
    }
    result.analyzed |= parsed.skipped > 0; // Kubernetes objects, read as far as checks need
    // A template is judged once rendered: as written, it is not the YAML the cluster gets, and
    // it seldom parses. Said as a note (no effect on the exit code), never an error.
    if (!parsed.templates.empty()) {
      result.analyzed = true;
      std::string message =
          not_rendered.empty()
              ? "a Go template (a Helm chart's, say): not judged as written; leash judges what it "
                "renders to (`helm template CHART > rendered.yaml`, then scan rendered.yaml)"
              : fmt::format("a Helm chart's template not judged: {} (`helm template CHART > "
                            "rendered.yaml`, then scan rendered.yaml, judges it)",
                            not_rendered);
      if (parsed.templates.size() > 1)
        message +=
            fmt::format(" (and {} more documents of this file)", parsed.templates.size() - 1);
      result.notes.push_back({source.path(), parsed.templates.front(), 1, std::move(message)});
    }
    // One error a file: a Helm template fails in every document, and one line says it all.
    if (!parsed.errors.empty()) {
      const ParseError &first = parsed.errors.front();
      std::string message = first.message;
      if (parsed.errors.size() > 1)
        message +=
            fmt::format(" (and in {} more documents of this file)", parsed.errors.size() - 1);
      result.errors.push_back({source.path(), first.line, first.column, std::move(message)});
    }

    for (const Document &document : parsed.documents) {
      if (is_kube_object(document.root())) {
        result.analyzed = true;
        for (const KubeWorkload &workload : kube_workloads(document.root()))
          for_each_enabled_check<YamlCheck>(source, settings, result,
                                            [&](const YamlCheck &check, CheckContext &context) {
                                              check.check_kube(workload, document, context);
                                            });
        for (const KubeLimitRange &range : limit_ranges(document.root()))
          for_each_enabled_check<YamlCheck>(source, settings, result,
                                            [&](const YamlCheck &check, CheckContext &context) {
                                              check.check_limit_range(range, document, context);
                                            });
      } else if (auto compose = ComposeFile::from(document, compose_name)) {
        result.analyzed = true;
        for_each_enabled_check<YamlCheck>(source, settings, result,
                                          [&](const YamlCheck &check, CheckContext &context) {
                                            check.check_compose(*compose, context);
                                          });
      }
    }
    if (!parsed.errors.empty())
      result.analyzed = true;
    if (helm) // edits of the rendered text are not edits of the template
      for (Finding &finding : result.findings)
        finding.fix.reset();
    if (helm)
      for (ConditionalFinding &conditional : result.conditional)
        conditional.finding.fix.reset();
  }

  std::string cache_inputs(const InputFile &file, const RunContext & /*run*/) const override {
    // A chart's template is rendered with its values: they decide its result too.
    const auto chart = chart_of(file.display);
    if (!chart)
      return {};
    std::vector<std::filesystem::path> files = values_files(*chart, *file.settings);
    files.insert(files.begin(), *chart / "Chart.yaml");
    std::string inputs = "helm";
    for (const std::filesystem::path &path : files) {
      std::string text;
      const bool read = !read_regular_file(path, kMaxValuesBytes, text);
      inputs += fmt::format("\n{}:{}", path.generic_string(), read ? hash_of(text).hex() : "-");
    }
    return inputs;
  }
};

LEASH_REGISTER_FRONTEND(YamlFrontend);

} // namespace

} // namespace leash::yaml
