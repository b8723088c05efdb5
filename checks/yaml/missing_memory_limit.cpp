// missing-memory-limit: compose services and Kubernetes containers that run without a memory
// limit. Where the limit lives is data: targets.yaml.{compose,kubernetes} in the rule's YAML.
#include "checks/yaml/memory.h"
#include "frontend/yaml/edit.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

namespace leash::yaml {

namespace {

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

  void check_compose(const ComposeFile &file, CheckContext &context) const override {
    const SettingPaths &targets = context.targets<MissingMemoryLimit>();
    for (const ComposeService &service : file.services()) {
      // Whether a limit is set: what the service inherits counts.
      const ServiceSettings settings =
          settings_of(file, service, targets.compose, Inherited::Followed);
      Limit limit = Limit::Absent;
      for (const Setting &setting : settings.found)
        limit = std::max(limit, limit_of(setting.entry.value, parse_docker_bytes));
      if (limit == Limit::Set || settings.unknown)
        continue;
      // Where the service already has a `deploy:` section, the limit goes there; else mem_limit.
      const bool deploy = yaml::find(service.body, "deploy").has_value();
      const auto size = docker_size(fix_size(context));
      std::optional<Fix> fix;
      if (size)
        fix = limit_fix(file.document(), service.key, service.body,
                        deploy ? split_path("deploy.resources.limits.memory")
                               : std::vector<std::string>{"mem_limit"},
                        *size, limit);
      context.report(file.document().span(service.key),
                     fmt::format("service \"{}\" has no memory limit{}; one leak can take the "
                                 "host's memory from every other container: set "
                                 "deploy.resources.limits.memory (or mem_limit)",
                                 service.name, zero_note(limit)),
                     std::move(fix));
    }
  }

  void check_kube(const KubeWorkload &workload, const Document &document,
                  CheckContext &context) const override {
    const SettingPaths &targets = context.targets<MissingMemoryLimit>();
    auto parse = [](std::string_view text) -> std::optional<double> {
      const auto quantity = parse_memory_quantity(text);
      return quantity ? std::optional<double>(quantity->bytes) : std::nullopt;
    };
    for (const KubeContainer &container : workload.containers) {
      Limit limit = Limit::Absent;
      for (const Setting &setting : settings_of(container, targets.kubernetes))
        limit = std::max(limit, limit_of(setting.entry.value, parse));
      if (limit == Limit::Set)
        continue;
      const YAML::Node &at = container.name ? container.name->key : container.body;
      std::optional<Fix> fix;
      if (parse_memory_quantity(fix_size(context)))
        fix = limit_fix(document, at, container.body, split_path("resources.limits.memory"),
                        fix_size(context), limit);
      context.report(document.span(at),
                     fmt::format("{} \"{}\" of {} \"{}\" has no memory limit{}; it can take its "
                                 "node's memory and get other pods evicted: set "
                                 "resources.limits.memory",
                                 container.init ? "init container" : "container",
                                 container.display_name(), workload.kind, workload.name,
                                 zero_note(limit)),
                     std::move(fix));
    }
  }
};

LEASH_REGISTER_CHECK(YamlCheck, MissingMemoryLimit, "missing-memory-limit");

} // namespace

} // namespace leash::yaml
