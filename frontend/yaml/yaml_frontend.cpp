// The YAML front end: picks out compose files and Kubernetes manifests, parses them document by
// document, and runs the YAML checks on what it found.
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

#include <filesystem>

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
    // Most YAML in a repository (CI workflows, app config) is neither: skip it unparsed.
    if (!compose_name && !has_top_level_key(text, "services") &&
        !(has_top_level_key(text, "apiVersion") || has_top_level_key(text, "kind")))
      return;

    const ParsedFile parsed = parse_documents(source, holds_no_containers);
    result.analyzed |= parsed.skipped > 0; // Kubernetes objects, read as far as checks need
    // A template is judged once rendered: as written, it is not the YAML the cluster gets, and
    // it seldom parses. Said as a note (no effect on the exit code), never an error.
    if (!parsed.templates.empty()) {
      result.analyzed = true;
      std::string message = "a Go template (a Helm chart's, say): not judged as written; leash "
                            "judges what it renders to (`helm template CHART > rendered.yaml`, "
                            "then scan rendered.yaml)";
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
  }
};

LEASH_REGISTER_FRONTEND(YamlFrontend);

} // namespace

} // namespace leash::yaml
