// memory-limit-above-max: a Kubernetes container whose memory limit is above the `max` a
// LimitRange of its namespace allows: the API server rejects its pods. Decided over the whole
// scan: the container's file gives the limit, the LimitRange's file the max.
#include "checks/yaml/memory.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace leash::yaml {

namespace {

// Bytes as a whole number; nullopt for a quantity no container could be given.
std::optional<uint64_t> whole_bytes(const YAML::Node &value) {
  const auto text = scalar(value);
  if (!text || is_templated(*text))
    return std::nullopt;
  const auto quantity = parse_memory_quantity(*text);
  if (!quantity || quantity->bytes < 0 ||
      quantity->bytes >= static_cast<double>(std::numeric_limits<uint64_t>::max()))
    return std::nullopt;
  return static_cast<uint64_t>(std::ceil(quantity->bytes)); // the API server rounds up
}

class MemoryLimitAboveMax final : public YamlCheck {
public:
  // targets.yaml: where a container's limit is set.
  using Targets = SettingPaths;
  static SettingPaths parse_targets(const TargetReader &targets, const Rule &) {
    return SettingPaths::read(targets.record({"kubernetes"}));
  }

  void check_kube(const KubeWorkload &workload, const Document &document,
                  CheckContext &context) const override {
    const SettingPaths &targets = context.targets<MemoryLimitAboveMax>();
    for (const KubeContainer &container : workload.containers) {
      const std::vector<Setting> settings = settings_of(container, targets.kubernetes);
      if (settings.empty())
        continue;
      const Entry &limit = settings.front().entry;
      const auto bytes = whole_bytes(limit.value);
      if (!bytes)
        continue;
      const Span span = document.span(limit.value);
      Condition condition;
      condition.refuted_by = fmt::format("container:{}:{}:{}", context.source().path(),
                                         span.start.line, span.start.column);
      const Place place = place_of(document, limit.value, context);
      Bound bound;
      bound.value = *bytes;
      for (const std::string &scope : workload_scopes(workload, context.source().path()))
        bound.facts.push_back("max:" + scope);
      condition.needs_below = std::move(bound);
      const std::string where = workload.namespace_name
                                    ? fmt::format("of namespace \"{}\"", *workload.namespace_name)
                                    : std::string("with no namespace in its folder or above");
      const std::string message = fmt::format(
          "memory limit {} of {} \"{}\" of {} \"{}\" is above the max memory a LimitRange {} "
          "allows containers: the API server will reject its pods; lower the limit or raise the "
          "LimitRange's max",
          scalar(limit.value).value_or(""), container.init ? "init container" : "container",
          container.display_name(), workload.kind, workload.name, where);
      context.report_if(place.path, place.span, message + values_note(place, context),
                        std::move(condition));
    }
  }

  void check_limit_range(const KubeLimitRange &range, const Document & /*document*/,
                         CheckContext &context) const override {
    for (const ContainerLimits &item : range.items)
      if (item.max_memory)
        if (const auto bytes = whole_bytes(item.max_memory->value))
          context.provide_number("max:" + limit_range_scope(range, context.source().path()),
                                 *bytes);
  }
};

LEASH_REGISTER_CHECK(YamlCheck, MemoryLimitAboveMax, "memory-limit-above-max");

} // namespace

} // namespace leash::yaml
