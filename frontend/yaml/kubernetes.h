// Kubernetes objects: which ones run containers, and where their containers are.
#pragma once

#include "frontend/yaml/document.h"

#include <optional>
#include <string>
#include <vector>

namespace leash::yaml {

struct KubeContainer {
  YAML::Node body;
  std::optional<Entry> name; // the `name:` entry, when the container has one
  bool init = false;         // from initContainers
  std::string display_name() const;
};

struct KubeWorkload {
  std::string kind;                          // Deployment, CronJob, ...
  std::string name;                          // metadata.name, or "" when absent
  std::optional<std::string> namespace_name; // metadata.namespace
  std::vector<KubeContainer> containers;
};

// One `type: Container` item of a LimitRange's spec.limits, as far as memory goes.
struct ContainerLimits {
  std::optional<Entry> default_memory; // default.memory: the limit a container without one gets
  std::optional<Entry> max_memory;     // max.memory (also the default when default has none)
};

struct KubeLimitRange {
  std::string name;
  std::optional<std::string> namespace_name;
  std::vector<ContainerLimits> items;
};

// Where a LimitRange applies, as a fact both sides name: the namespace it names, or, for one
// that names none, its folder: it goes wherever the workloads beside it go (`kubectl apply -n`).
std::string limit_range_scope(const KubeLimitRange &range, std::string_view path);
// The scopes whose LimitRanges apply to a workload in the file at `path`: its namespace's, or
// those of its folder and every folder above.
std::vector<std::string> workload_scopes(const KubeWorkload &workload, std::string_view path);

// A name as messages show it.
std::string shown_name(std::string text);

// A mapping with scalar `apiVersion` and `kind`.
bool is_kube_object(const YAML::Node &node);

// Whether objects of this kind never hold a container (ConfigMap, Secret, Service, RBAC, CRDs
// themselves ...): workloads are found in every other kind, custom ones included.
bool holds_no_containers(std::string_view kind);

// Where the PodSpec of an object of `kind` is (`spec.template.spec` for a Deployment), if it
// runs containers.
const std::vector<std::string> *pod_spec_path(std::string_view kind);

// The workloads in a document: the object itself when its kind runs containers, and the items of
// a `kind: List` (or FooList), recursively.
std::vector<KubeWorkload> kube_workloads(const YAML::Node &object);
// The LimitRanges in a document, the items of Lists included.
std::vector<KubeLimitRange> limit_ranges(const YAML::Node &object);

} // namespace leash::yaml
