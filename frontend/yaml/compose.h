// A docker-compose file: its services, and lookups inside a service that follow `extends` within
// the same file as Compose merges it.
#pragma once

#include "frontend/yaml/document.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leash::yaml {

struct ComposeService {
  std::string name;
  YAML::Node key;  // the service's key under `services:`
  YAML::Node body; // its mapping (may be null: `web:` with nothing under it)
};

// A service of another compose file, as `extends: {file: common.yml, service: web}` names it.
struct ServiceRef {
  std::string file; // as written: relative to the extending file's folder
  std::string service;
};

// The answer to a lookup in a service.
struct ComposeLookup {
  std::optional<Entry> entry;
  bool unknown = false; // the service extends one in another file, where the answer may be
  std::optional<ServiceRef> elsewhere; // that service, when `extends` names it
};

// How `docker compose` combines the compose files of one folder.
enum class ComposeRole {
  Base,     // compose.yaml, docker-compose.yml ...: what `docker compose up` reads first
  Override, // compose.override.yaml ...: merged over the base by `docker compose up`
  Overlay,  // compose.<name>.yaml ...: merged over the base by `-f <base> -f <this>`
  Alone,    // any other name (docker-compose-dev.yml, stack.yml): a file set of its own
};
ComposeRole compose_role(std::string_view file_name);

class ComposeFile {
public:
  // A compose file when the document has a top-level `services` mapping whose values are mappings;
  // `by_name` (the file is named like one) also accepts an empty `services:`.
  static std::optional<ComposeFile> from(const Document &document, bool by_name);

  const Document &document() const { return *document_; }
  const std::vector<ComposeService> &services() const { return services_; }

  // `path` ("deploy.resources.limits.memory" as parts) in the service, else in the services it
  // extends (nested mappings merge key by key, so the first chain member that has it wins).
  ComposeLookup find(const ComposeService &service, const std::vector<std::string> &path) const;

private:
  const ComposeService *service_named(std::string_view name) const;

  const Document *document_ = nullptr;
  std::vector<ComposeService> services_;
  std::unordered_map<std::string, size_t> by_name_; // into services_
};

// docker-compose*.yml, compose*.yaml and the like.
bool is_compose_file_name(std::string_view file_name);

} // namespace leash::yaml
