// Memory sizes as Kubernetes and Docker read them, and the per-rule YAML paths from rules/*.yaml.
#pragma once

#include "frontend/yaml/document.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::yaml {

// A Kubernetes memory quantity (resource.Quantity syntax) in bytes, and the suffix it was
// written with. A CPU quantity (cores) is another type: nothing here reads one.
struct MemoryQuantity {
  double bytes = 0;
  std::string suffix; // as written: "Mi", "m", "e3", "" ...
};

// <sign><number><suffix> with suffix one of Ki Mi Gi Ti Pi Ei, n u m "" k M G T P E, or a decimal
// exponent. nullopt when Kubernetes rejects the text.
std::optional<MemoryQuantity> parse_memory_quantity(std::string_view text);

// A Docker/Compose memory size (go-units RAMInBytes): "512m", "1.5GiB", "256 MB", 1073741824.
// nullopt when Docker rejects the text.
std::optional<double> parse_docker_bytes(std::string_view text);

// A Kubernetes memory quantity written as Docker writes sizes ("512Mi" -> "512m", "1Gi" -> "1g");
// nullopt when it is not a whole number of bytes.
std::optional<std::string> docker_size(std::string_view kube_quantity);

// Docker refuses memory limits and reservations below this.
inline constexpr double kDockerMinimumMemory = 6 * 1024 * 1024;

// Values filled in later (`${MEM:-1g}`, `{{ .Values.memory }}`) can't be judged here.
bool is_templated(std::string_view text);

} // namespace leash::yaml
