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

// The answer to a lookup in a service.
struct ComposeLookup {
  std::optional<Entry> entry;
  bool unknown = false; // the service extends one in another file, where the answer may be
};

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
