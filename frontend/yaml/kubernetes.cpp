#include "frontend/yaml/kubernetes.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace leash::yaml {

namespace {

constexpr int kListDepthLimit = 8;
// Aliases let a small List name the same items many times over: stop expanding after this many.
constexpr int kObjectLimit = 10000;

struct PodSpecLocation {
  std::string_view kind;
  std::vector<std::string> path; // from the object to its PodSpec
};

const std::vector<PodSpecLocation> &pod_spec_locations() {
  static const std::vector<PodSpecLocation> locations = {
      {"Pod", {"spec"}},
      {"PodTemplate", {"template", "spec"}},
      {"Deployment", {"spec", "template", "spec"}},
      {"ReplicaSet", {"spec", "template", "spec"}},
      {"StatefulSet", {"spec", "template", "spec"}},
      {"DaemonSet", {"spec", "template", "spec"}},
      {"Job", {"spec", "template", "spec"}},
      {"ReplicationController", {"spec", "template", "spec"}},
      {"DeploymentConfig", {"spec", "template", "spec"}}, // OpenShift
      {"CronJob", {"spec", "jobTemplate", "spec", "template", "spec"}},
  };
  return locations;
}

void collect(const YAML::Node &object, std::vector<KubeWorkload> &out, int depth, int &budget) {
  if (depth > kListDepthLimit || --budget < 0 || !is_kube_object(object))
    return;
  const std::string kind = find(object, "kind")->value.Scalar();
  if (kind == "List" || kind.ends_with("List")) {
    if (const auto items = find(object, "items"); items && items->value.IsSequence())
      for (const auto &item : items->value)
        collect(item, out, depth + 1, budget);
    return;
  }
  for (const PodSpecLocation &location : pod_spec_locations()) {
    if (location.kind != kind)
      continue;
    KubeWorkload workload;
    workload.kind = kind;
    if (auto name = find_path(object, {"metadata", "name"}); name && name->value.IsScalar())
      workload.name = name->value.Scalar();
    const auto spec = find_path(object, location.path);
    if (!spec)
      return;
    for (const char *list : {"initContainers", "containers"}) {
      const auto containers = find(spec->value, list);
      if (!containers || !containers->value.IsSequence())
        continue;
      for (const auto &container : containers->value) {
        if (!container.IsMap())
          continue;
        KubeContainer entry{container, find(container, "name"), list[0] == 'i'};
        workload.containers.push_back(std::move(entry));
      }
    }
    out.push_back(std::move(workload));
    return;
  }
}

} // namespace

std::string KubeContainer::display_name() const {
  if (name && name->value.IsScalar())
    return name->value.Scalar();
  return "(unnamed)";
}

bool holds_no_containers(std::string_view kind) {
  // Not LimitRange or ResourceQuota: their defaults and limits bear on containers.
  static constexpr std::string_view kKinds[] = {"APIService",
                                                "Certificate",
                                                "ClusterRole",
                                                "ClusterRoleBinding",
                                                "ConfigMap",
                                                "CustomResourceDefinition",
                                                "Endpoints",
                                                "EndpointSlice",
                                                "Gateway",
                                                "HorizontalPodAutoscaler",
                                                "HTTPRoute",
                                                "Ingress",
                                                "IngressClass",
                                                "MutatingWebhookConfiguration",
                                                "Namespace",
                                                "NetworkPolicy",
                                                "PersistentVolume",
                                                "PersistentVolumeClaim",
                                                "PodDisruptionBudget",
                                                "PodMonitor",
                                                "PriorityClass",
                                                "PrometheusRule",
                                                "Role",
                                                "RoleBinding",
                                                "Secret",
                                                "Service",
                                                "ServiceAccount",
                                                "ServiceMonitor",
                                                "StorageClass",
                                                "ValidatingWebhookConfiguration"};
  return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

bool is_kube_object(const YAML::Node &node) {
  if (!node.IsMap())
    return false;
  const auto api = find(node, "apiVersion");
  const auto kind = find(node, "kind");
  return api && kind && api->value.IsScalar() && kind->value.IsScalar();
}

std::vector<KubeWorkload> kube_workloads(const YAML::Node &object) {
  std::vector<KubeWorkload> out;
  int budget = kObjectLimit;
  collect(object, out, 0, budget);
  return out;
}

} // namespace leash::yaml
