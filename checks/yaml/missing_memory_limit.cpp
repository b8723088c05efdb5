// missing-memory-limit: compose services and Kubernetes containers that run without a memory
// limit. Where the limit lives is data: targets.yaml.{compose,kubernetes} in the rule's YAML.
#include "checks/yaml/memory.h"
#include "frontend/yaml/edit.h"
#include "frontend/yaml/helm.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

#include <filesystem>

namespace leash::yaml {

namespace {

namespace fs = std::filesystem;

enum class Limit { Absent, Zero, Set };

// A limit of 0 means "unlimited" to both Docker and the kubelet.
template <class Parse> Limit limit_of(const YAML::Node &value, Parse parse) {
  const auto text = scalar(value);
  if (!text || text->empty() || value.IsNull())
    return Limit::Absent;
  if (is_templated(*text))
    return Limit::Set;
  const auto bytes = parse(*text);
  return bytes && *bytes == 0 ? Limit::Zero : Limit::Set;
}

std::optional<double> parse_kube_bytes(std::string_view text) {
  const auto quantity = parse_memory_quantity(text);
  return quantity ? std::optional<double>(quantity->bytes) : std::nullopt;
}

// Whether a LimitRange item gives containers a default limit: Kubernetes defaults a missing
// default to the max (SetDefaults_LimitRangeItem).
bool gives_limit(const ContainerLimits &item) {
  const auto sets = [](const std::optional<Entry> &entry) {
    return entry && limit_of(entry->value, parse_kube_bytes) == Limit::Set;
  };
  return sets(item.default_memory) || sets(item.max_memory);
}

std::string_view zero_note(Limit limit) {
  return limit == Limit::Zero ? " (a limit of 0 means none)" : "";
}

// The fix: a limit of the `fix-memory-limit` option's size where none is written (a limit of 0
// is someone's choice to read, not to overwrite).
std::optional<Fix> limit_fix(const Document &document, const YAML::Node &key,
                             const YAML::Node &body, const std::vector<std::string> &path,
                             const std::string &value, Limit limit) {
  if (limit != Limit::Absent)
    return std::nullopt;
  auto edit = add_to_mapping(document, key, body, path, value);
  if (!edit)
    return std::nullopt;
  std::string where = path[0];
  for (size_t i = 1; i < path.size(); ++i)
    where += "." + path[i];
  return Fix{fmt::format("set {}: {}", where, value), {std::move(*edit)}};
}

std::string fix_size(const CheckContext &context) {
  const auto &size = context.option("fix-memory-limit");
  return size.is_string() ? size.get<std::string>() : "512Mi";
}

class MissingMemoryLimit final : public YamlCheck {
public:
  // targets.yaml: where a limit may be set; the first one present counts.
  using Targets = SettingPaths;
  static SettingPaths parse_targets(const TargetReader &targets, const Rule &) {
    return SettingPaths::read(targets.record({"compose", "kubernetes"}));
  }

  // A compose file is judged as Compose merges it: with the files of its folder that `docker
  // compose` combines it with (see ComposeRole), and with the services it extends in other files.
  // Each file says, as facts, which of its services have a limit; a service without one is a
  // finding that such a fact from another file of the scan refutes.
  void check_compose(const ComposeFile &file, CheckContext &context) const override {
    const SettingPaths &targets = context.targets<MissingMemoryLimit>();
    const fs::path path = fs::path(context.source().path()).lexically_normal();
    const std::string folder = path.parent_path().string();
    const ComposeRole role = compose_role(path.filename().string());
    const auto limit_fact = [](const fs::path &file_path, std::string_view service) {
      return fmt::format("limit:{}:{}", file_path.string(), service);
    };
    context.provide("file:" + path.string());
    for (const ComposeService &service : file.services()) {
      // Whether a limit is set: what the service inherits counts.
      const ServiceSettings settings =
          settings_of(file, service, targets.compose, Inherited::Followed);
      Limit limit = Limit::Absent;
      for (const Setting &setting : settings.found)
        limit = std::max(limit, limit_of(setting.entry.value, parse_docker_bytes));
      const std::string own = limit_fact(path, service.name);
      // Its limit, when it comes from a service of another file, holds if that one's does.
      std::optional<std::string> inherited;
      if (limit != Limit::Set && settings.elsewhere)
        inherited = limit_fact((path.parent_path() / settings.elsewhere->file).lexically_normal(),
                               settings.elsewhere->service);
      const auto say_limit = [&](const std::string &fact) {
        if (limit == Limit::Set)
          context.provide(fact);
        else if (inherited)
          context.provide_if(fact, *inherited);
      };
      say_limit(own);
      if (inherited) // the service it extends is judged here, as part of this one
        context.provide(
            fmt::format("extended:{}:{}",
                        (path.parent_path() / settings.elsewhere->file).lexically_normal().string(),
                        settings.elsewhere->service));
      if (role == ComposeRole::Base)
        say_limit(fmt::format("base-limit:{}:{}", folder, service.name));
      if (role == ComposeRole::Override)
        say_limit(fmt::format("override-limit:{}:{}", folder, service.name));
      if (limit == Limit::Set || (settings.unknown && !inherited))
        continue;

      // One finding a service of a folder's file set, at its first file: the base, then the
      // override, then an overlay. A base's service is judged with the override, which `docker
      // compose up` merges over it; an override's or overlay's with the base it is merged over.
      Condition condition;
      condition.rank = static_cast<int>(role);
      condition.refuted_by = role == ComposeRole::Alone
                                 ? fmt::format("service:{}:{}", path.string(), service.name)
                                 : fmt::format("service:{}:{}", folder, service.name);
      if (role == ComposeRole::Base)
        condition.also_refuted_by.push_back(
            fmt::format("override-limit:{}:{}", folder, service.name));
      else if (role != ComposeRole::Alone)
        condition.also_refuted_by.push_back(fmt::format("base-limit:{}:{}", folder, service.name));
      // A service other files extend (a library of services) is judged in each of them.
      condition.also_refuted_by.push_back(
          fmt::format("extended:{}:{}", path.string(), service.name));
      if (inherited) { // judged once the file it extends is read, if the scan reads it
        condition.needs.push_back(
            "file:" + (path.parent_path() / settings.elsewhere->file).lexically_normal().string());
        condition.also_refuted_by.push_back(*inherited);
      }

      // Where the service already has a `deploy:` section, the limit goes there; else mem_limit.
      const bool deploy = yaml::find(service.body, "deploy").has_value();
      const auto size = docker_size(fix_size(context));
      std::optional<Fix> fix;
      if (size)
        fix = limit_fix(file.document(), service.key, service.body,
                        deploy ? split_path("deploy.resources.limits.memory")
                               : std::vector<std::string>{"mem_limit"},
                        *size, limit);
      context.report_if(context.source().path(), file.document().span(service.key),
                        fmt::format("service \"{}\" has no memory limit{}; one leak can take the "
                                    "host's memory from every other container: set "
                                    "deploy.resources.limits.memory (or mem_limit)",
                                    service.name, zero_note(limit)),
                        std::move(condition), std::move(fix));
    }
  }

  void check_kube(const KubeWorkload &workload, const Document &document,
                  CheckContext &context) const override {
    const SettingPaths &targets = context.targets<MissingMemoryLimit>();
    for (const KubeContainer &container : workload.containers) {
      Limit limit = Limit::Absent;
      for (const Setting &setting : settings_of(container, targets.kubernetes))
        limit = std::max(limit, limit_of(setting.entry.value, parse_kube_bytes));
      if (limit == Limit::Set)
        continue;
      // A Helm template may set it in a block leash did not render: not judged.
      if (std::any_of(
              targets.kubernetes.begin(), targets.kubernetes.end(),
              [&](const SettingPath &path) { return unrendered_along(container.body, path); }))
        continue;
      const YAML::Node &at = container.name ? container.name->key : container.body;
      std::optional<Fix> fix;
      if (parse_memory_quantity(fix_size(context)))
        fix = limit_fix(document, at, container.body, split_path("resources.limits.memory"),
                        fix_size(context), limit);
      // A Helm template's resources that come from the chart's values: the values are edited.
      const auto resources = find(container.body, "resources");
      Place place = resources ? place_of(document, resources->value, context) : Place{};
      if (!place.origin)
        place = {context.source().path(), document.span(at), nullptr};
      const std::string remedy = place.origin
                                     ? fmt::format("set limits.memory under `{}` here{}",
                                                   place.origin->key, values_note(place, context))
                                     : std::string("set resources.limits.memory");
      const Span &span = place.span;
      const std::string &path = place.path;
      std::string message = fmt::format(
          "{} \"{}\" of {} \"{}\" has no memory limit{}; it can take its node's memory and get "
          "other pods evicted: {}",
          container.init ? "init container" : "container", container.display_name(), workload.kind,
          workload.name, zero_note(limit), remedy);
      if (limit == Limit::Zero) { // written out: no LimitRange default replaces it
        if (path == context.source().path())
          context.report(span, std::move(message), std::move(fix));
        else
          context.report_in(path, span, std::move(message));
        continue;
      }
      // Unless a LimitRange of its namespace (in the scan) gives containers a default limit.
      Condition condition;
      const Span own = document.span(at); // one finding a container, wherever it is reported
      condition.refuted_by = fmt::format("container:{}:{}:{}", context.source().path(),
                                         own.start.line, own.start.column);
      for (const std::string &scope : workload_scopes(workload, context.source().path()))
        condition.also_refuted_by.push_back("default:" + scope);
      // A kustomization of the scan that builds it judges it as built (check_kustomization), and
      // a patch it applies is no workload of its own.
      condition.also_refuted_by.push_back("kustomize-patch:" + context.source().path());
      condition.also_refuted_by.push_back(fmt::format(
          "kustomized:{}:{}:{}", context.source().path(), own.start.line, own.start.column));
      context.report_if(path, span, std::move(message), std::move(condition), std::move(fix));
    }
  }

  // A container is judged by the kustomizations that build it, each as it builds it, at the
  // container's own line; one that another kustomization of the scan includes (a base) leaves
  // the judgement to it (an overlay).
  void check_kustomization(const KustomizeBuild &build, CheckContext &context) const override {
    for (const std::string &folder : build.included_folders)
      context.provide("kustomize-includes:" + folder);
    for (const std::string &patch : build.patch_files) // a fragment, not a workload of its own
      context.provide("kustomize-patch:" + patch);
    for (const BuiltContainer &container : build.containers) {
      const std::string subject = fmt::format("{}:{}:{}", container.path, container.span.start.line,
                                              container.span.start.column);
      context.provide("kustomized:" + subject);
      if (container.memory_limit &&
          limit_of(*container.memory_limit, parse_kube_bytes) == Limit::Set)
        continue;
      // A LimitRange the build holds gives the containers of its namespace a default.
      const bool defaulted = std::any_of(
          build.limit_ranges.begin(), build.limit_ranges.end(), [&](const KubeLimitRange &range) {
            return range.namespace_name == container.namespace_name &&
                   std::any_of(range.items.begin(), range.items.end(),
                               [](const ContainerLimits &item) { return gives_limit(item); });
          });
      if (defaulted)
        continue;
      Condition condition;
      condition.refuted_by = "container:" + subject;
      condition.rank = 1; // after the file's own judgement, which this one replaces
      condition.also_refuted_by.push_back("kustomize-includes:" + build.folder);
      if (container.namespace_name)
        condition.also_refuted_by.push_back("default:namespace:" + *container.namespace_name);
      context.report_if(
          container.path, container.span,
          fmt::format("{} \"{}\" of {} \"{}\" has no memory limit in what the kustomization {} "
                      "builds (`kustomize build {}`); it can take its node's memory and get "
                      "other pods evicted: set resources.limits.memory here, or in a patch of {}",
                      container.init ? "init container" : "container", container.name,
                      container.workload_kind, container.workload_name, context.source().path(),
                      build.folder, build.folder),
          std::move(condition));
    }
  }

  void check_limit_range(const KubeLimitRange &range, const Document & /*document*/,
                         CheckContext &context) const override {
    for (const ContainerLimits &item : range.items)
      if (gives_limit(item)) {
        context.provide("default:" + limit_range_scope(range, context.source().path()));
        return;
      }
  }
};

LEASH_REGISTER_CHECK(YamlCheck, MissingMemoryLimit, "missing-memory-limit");

} // namespace

} // namespace leash::yaml
