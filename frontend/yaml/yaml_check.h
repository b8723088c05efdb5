// The base class of YAML checks. The front end finds compose files and Kubernetes workloads; a
// check overrides the hooks it cares about and registers itself:
//   LEASH_REGISTER_CHECK(YamlCheck, MyCheck, "my-rule");
#pragma once

#include "core/analysis.h"
#include "frontend/yaml/compose.h"
#include "frontend/yaml/kubernetes.h"

namespace leash::yaml {

class YamlCheck {
public:
  static constexpr Language kLanguage = Language::Yaml;
  virtual ~YamlCheck() = default;

  virtual void check_compose(const ComposeFile & /*file*/, CheckContext & /*context*/) const {}
  virtual void check_kube(const KubeWorkload & /*workload*/, const Document & /*document*/,
                          CheckContext & /*context*/) const {}
};

} // namespace leash::yaml

namespace leash {
using yaml::YamlCheck;
} // namespace leash
