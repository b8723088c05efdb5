// Kustomize, read without running kustomize: a kustomization's resources (files, and folders with
// their own kustomization: bases, components) are read and their containers' memory limits
// followed through its patches (strategic merge and JSON 6902, in files or inline), as
// `kustomize build` would leave them.
#pragma once

#include "core/analysis.h"
#include "frontend/yaml/document.h"
#include "frontend/yaml/kubernetes.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::yaml {

// kustomization.yaml, kustomization.yml, Kustomization.
bool is_kustomization_file_name(std::string_view file_name);

// A container as a kustomization builds it.
struct BuiltContainer {
  std::string path; // the file its workload is written in (display path)
  Span span;        // its `name:` there (its entry when it has none)
  std::string name;
  bool init = false;
  std::string workload_kind, workload_name;
  std::optional<std::string> namespace_name; // after the kustomizations' `namespace:`
  // Its memory limit after the patches: nullopt when none sets one and the file writes none.
  std::optional<YAML::Node> memory_limit;
};

// What a kustomization builds, as far as memory limits go.
struct KustomizeBuild {
  std::string folder; // display path of the kustomization's folder
  std::vector<BuiltContainer> containers;
  std::vector<KubeLimitRange> limit_ranges;  // each with its namespace after `namespace:`
  std::vector<std::string> included_folders; // kustomization folders it reads (bases, components)
  std::vector<std::string> patch_files;      // patches it reads from files (display paths)
  std::vector<Dependency> dependencies;      // every file read besides the kustomization itself
  std::vector<std::string> problems;         // what could not be read, for a note
};

// Builds the kustomization in `source` (a kustomization file). Files are read with `max_bytes`.
KustomizeBuild build_kustomization(const SourceFile &source, std::size_t max_bytes);

} // namespace leash::yaml
