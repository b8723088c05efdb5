// invalid-memory-quantity: memory sizes that Kubernetes or Docker reject, or read as something
// else than the author meant (`512m` is 0.512 bytes to Kubernetes).
#include "checks/yaml/memory.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace leash::yaml {

namespace {

// The scalar at `entry`, unless it is null or filled in later.
std::optional<std::string> checkable(const Entry &entry) {
  if (entry.value.IsNull())
    return std::nullopt;
  auto text = scalar(entry.value);
  if (!text || text->empty() || is_templated(*text))
    return std::nullopt;
  return text;
}

bool bytes_only(std::string_view text) {
  return text.find_first_not_of("0123456789") == std::string_view::npos;
}

class InvalidMemoryQuantity final : public YamlCheck {
public:
  // targets.yaml: the memory sizes to judge.
  using Targets = SettingPaths;
  static SettingPaths parse_targets(const TargetReader &targets, const Rule &) {
    return SettingPaths::read(targets.record({"compose", "kubernetes"}));
  }

  void check_compose(const ComposeFile &file, CheckContext &context) const override {
    const SettingPaths &targets = context.targets<InvalidMemoryQuantity>();
    for (const ComposeService &service : file.services()) {
      // A written value is judged where it is written: inherited ones in their own service.
      for (const Setting &setting :
           settings_of(file, service, targets.compose, Inherited::Ignored).found) {
        const Entry &entry = setting.entry;
        const auto text = checkable(entry);
        if (!text)
          continue;
        const auto bytes = parse_docker_bytes(*text);
        std::string problem;
        if (!bytes)
          problem =
              fmt::format("\"{}\" is not a size Docker can read: write it like 512m or 2g", *text);
        else if (*bytes > 0 && *bytes < kDockerMinimumMemory)
          problem = fmt::format(
              "\"{}\" is {:.0f} bytes, below the 6 MiB Docker accepts{}", *text, *bytes,
              bytes_only(*text) ? fmt::format(": did you mean {}m?", *text) : std::string());
        if (!problem.empty())
          context.report(
              file.document().span(entry.value),
              fmt::format("{} of service \"{}\": {}", setting.path->back(), service.name, problem));
      }
    }
  }

  void check_kube(const KubeWorkload &workload, const Document &document,
                  CheckContext &context) const override {
    const SettingPaths &targets = context.targets<InvalidMemoryQuantity>();
    for (const KubeContainer &container : workload.containers) {
      for (const Setting &setting : settings_of(container, targets.kubernetes)) {
        const auto text = checkable(setting.entry);
        if (!text)
          continue;
        const std::string problem = kube_problem(*text);
        if (!problem.empty())
          report_at(place_of(document, setting.entry.value, context),
                    fmt::format("{} of container \"{}\": {}", fmt::join(*setting.path, "."),
                                container.display_name(), problem),
                    context);
      }
    }
  }

private:
  static std::string kube_problem(const std::string &text) {
    const auto quantity = parse_memory_quantity(text);
    if (!quantity) {
      std::string hint = "write it like 512Mi or 2Gi";
      if (const auto bytes = parse_docker_bytes(text))
        hint = "Kubernetes takes Ki, Mi, Gi (binary) or k, M, G (decimal), not Docker's units";
      return fmt::format("\"{}\" is not a valid Kubernetes quantity; {}", text, hint);
    }
    if (quantity->bytes < 0)
      return fmt::format("\"{}\" is negative; Kubernetes rejects it", text);
    if (quantity->bytes > 0 && quantity->bytes < 1) {
      const std::string number = text.substr(0, text.size() - quantity->suffix.size());
      return fmt::format("\"{}\" is a fraction of a byte (`{}` is not mega): write {}Mi", text,
                         quantity->suffix, number);
    }
    if (quantity->suffix.empty() && quantity->bytes > 0 && quantity->bytes < 1024 * 1024)
      return fmt::format("\"{}\" is {} bytes; a unit is probably missing: write {}Mi", text, text,
                         text);
    return {};
  }
};

LEASH_REGISTER_CHECK(YamlCheck, InvalidMemoryQuantity, "invalid-memory-quantity");

} // namespace

} // namespace leash::yaml
