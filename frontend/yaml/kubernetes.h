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
  std::string kind; // Deployment, CronJob, ...
  std::string name; // metadata.name, or "" when absent
  std::vector<KubeContainer> containers;
};

// A mapping with scalar `apiVersion` and `kind`.
bool is_kube_object(const YAML::Node &node);

// Whether objects of this kind never hold a container (ConfigMap, Secret, Service, RBAC, CRDs
// themselves ...): workloads are found in every other kind, custom ones included.
bool holds_no_containers(std::string_view kind);

// The workloads in a document: the object itself when its kind runs containers, and the items of
// a `kind: List` (or FooList), recursively.
std::vector<KubeWorkload> kube_workloads(const YAML::Node &object);

} // namespace leash::yaml
