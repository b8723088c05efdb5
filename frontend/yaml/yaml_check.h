// The base class of YAML checks, and the one traversal of settings they share. The front end
// finds compose files and Kubernetes workloads; a check overrides the hooks it cares about and
// registers itself:
//   LEASH_REGISTER_CHECK(YamlCheck, MyCheck, "my-rule");
#pragma once

#include "core/analysis.h"
#include "frontend/yaml/compose.h"
#include "frontend/yaml/kubernetes.h"
#include "frontend/yaml/kustomize.h"

#include <string>
#include <vector>

namespace leash::yaml {

using SettingPath = std::vector<std::string>; // "deploy.resources.limits.memory", split

// Where a rule's setting may be written, per platform, as its targets name it:
//   compose: [mem_limit, deploy.resources.limits.memory]
//   kubernetes: [resources.limits.memory]
struct SettingPaths {
  std::vector<SettingPath> compose, kubernetes;
  // Reads `compose` and `kubernetes` (dotted paths) from targets that hold them.
  static SettingPaths read(const TargetReader::Record &targets);
};

// A setting written at one of the paths looked at.
struct Setting {
  const SettingPath *path;
  Entry entry;
};

// Whether a lookup in a compose service follows `extends` (as Compose merges a service with the
// one it extends) or looks only at what the service itself writes. A check of whether something
// is set follows it; a check of a written value judges the value where it is written, once.
enum class Inherited { Followed, Ignored };

struct ServiceSettings {
  std::vector<Setting> found; // in the order of the paths
  bool unknown = false;       // the service extends one in another file, where more may be set
  std::optional<ServiceRef> elsewhere; // that service, when named (the first path's lookup)
};

ServiceSettings settings_of(const ComposeFile &file, const ComposeService &service,
                            const std::vector<SettingPath> &paths, Inherited inherited);
std::vector<Setting> settings_of(const KubeContainer &container,
                                 const std::vector<SettingPath> &paths);

// Where a finding about `node` goes: where it is written, or, for a line a Helm template renders
// from its values, the values key it comes from (`origin` set).
struct Place {
  std::string path;
  Span span;
  const LineOrigin *origin = nullptr;
};
Place place_of(const Document &document, const YAML::Node &node, const CheckContext &context);
// " (the template T takes it from `key` here)" for a place in a values file, else "".
std::string values_note(const Place &place, const CheckContext &context);
// Reports at `place`, adding the values_note.
void report_at(const Place &place, std::string message, CheckContext &context);

class YamlCheck {
public:
  static constexpr Language kLanguage = Language::Yaml;
  virtual ~YamlCheck() = default;

  virtual void check_compose(const ComposeFile & /*file*/, CheckContext & /*context*/) const {}
  virtual void check_kube(const KubeWorkload & /*workload*/, const Document & /*document*/,
                          CheckContext & /*context*/) const {}
  // A kustomization, as `kustomize build` leaves its containers (see frontend/yaml/kustomize.h).
  virtual void check_kustomization(const KustomizeBuild & /*build*/,
                                   CheckContext & /*context*/) const {}
  // A LimitRange: what it gives the workloads of its scope, said as facts (see limit_range_scope).
  virtual void check_limit_range(const KubeLimitRange & /*range*/, const Document & /*document*/,
                                 CheckContext & /*context*/) const {}
};

} // namespace leash::yaml

namespace leash {
using yaml::YamlCheck;
} // namespace leash
