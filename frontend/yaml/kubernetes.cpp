#include "frontend/yaml/kubernetes.h"
#include "frontend/yaml/helm.h"

#include <algorithm>
#include <filesystem>
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

std::optional<std::string> scalar_at(const YAML::Node &object,
                                     const std::vector<std::string> &path) {
  const auto entry = find_path(object, path);
  return entry ? scalar(entry->value) : std::nullopt;
}

// Calls `visit` on the object and, for a `kind: List` (or FooList), on its items, recursively.
template <class Visit>
void for_each_object(const YAML::Node &object, Visit &&visit, int depth, int &budget) {
  if (depth > kListDepthLimit || --budget < 0 || !is_kube_object(object))
    return;
  const std::string kind = find(object, "kind")->value.Scalar();
  if (kind == "List" || kind.ends_with("List")) {
    if (const auto items = find(object, "items"); items && items->value.IsSequence())
      for (const auto &item : items->value)
        for_each_object(item, visit, depth + 1, budget);
    return;
  }
  visit(object, kind);
}

template <class Visit> void for_each_object(const YAML::Node &object, Visit &&visit) {
  int budget = kObjectLimit;
  for_each_object(object, visit, 0, budget);
}

void collect_workload(const YAML::Node &object, const std::string &kind,
                      std::vector<KubeWorkload> &out) {
  for (const PodSpecLocation &location : pod_spec_locations()) {
    if (location.kind != kind)
      continue;
    KubeWorkload workload;
    workload.kind = kind;
    workload.name = shown_name(scalar_at(object, {"metadata", "name"}).value_or(""));
    workload.namespace_name = scalar_at(object, {"metadata", "namespace"});
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

std::string shown_name(std::string text) {
  // A Helm template's name leash could not render (see frontend/yaml/helm.h) is shown as such.
  for (size_t at = text.find(kUnknownValue); at != std::string::npos;
       at = text.find(kUnknownValue, at))
    text.replace(at, kUnknownValue.size(), "{{...}}");
  return text;
}

std::string KubeContainer::display_name() const {
  if (name && name->value.IsScalar())
    return shown_name(name->value.Scalar());
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

const std::vector<std::string> *pod_spec_path(std::string_view kind) {
  for (const PodSpecLocation &location : pod_spec_locations())
    if (location.kind == kind)
      return &location.path;
  return nullptr;
}

std::vector<KubeWorkload> kube_workloads(const YAML::Node &object) {
  std::vector<KubeWorkload> out;
  for_each_object(object, [&](const YAML::Node &item, const std::string &kind) {
    collect_workload(item, kind, out);
  });
  return out;
}

std::vector<KubeLimitRange> limit_ranges(const YAML::Node &object) {
  std::vector<KubeLimitRange> out;
  for_each_object(object, [&](const YAML::Node &item, const std::string &kind) {
    if (kind != "LimitRange")
      return;
    KubeLimitRange range;
    range.name = scalar_at(item, {"metadata", "name"}).value_or("");
    range.namespace_name = scalar_at(item, {"metadata", "namespace"});
    const auto limits = find_path(item, {"spec", "limits"});
    if (limits && limits->value.IsSequence())
      for (const auto &limit : limits->value) {
        // `type` is required; only Container items give containers defaults and maxima.
        if (!limit.IsMap() || scalar_at(limit, {"type"}) != "Container")
          continue;
        range.items.push_back(
            {find_path(limit, {"default", "memory"}), find_path(limit, {"max", "memory"})});
      }
    out.push_back(std::move(range));
  });
  return out;
}

std::string limit_range_scope(const KubeLimitRange &range, std::string_view path) {
  if (range.namespace_name)
    return "namespace:" + *range.namespace_name;
  return "folder:" + std::filesystem::path(path).parent_path().lexically_normal().string();
}

std::vector<std::string> workload_scopes(const KubeWorkload &workload, std::string_view path) {
  if (workload.namespace_name)
    return {"namespace:" + *workload.namespace_name};
  std::vector<std::string> scopes;
  std::filesystem::path folder = std::filesystem::path(path).parent_path().lexically_normal();
  for (int depth = 0; depth < 256; ++depth) {
    scopes.push_back("folder:" + folder.string());
    if (!folder.has_relative_path() || !folder.has_parent_path())
      break;
    folder = folder.parent_path();
  }
  return scopes;
}

} // namespace leash::yaml
