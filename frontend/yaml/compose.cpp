#include "frontend/yaml/compose.h"

namespace leash::yaml {

namespace {

constexpr int kExtendsDepthLimit = 16;

} // namespace

bool is_compose_file_name(std::string_view name) {
  if (!(name.ends_with(".yml") || name.ends_with(".yaml")))
    return false;
  return name.starts_with("docker-compose") || name.starts_with("compose");
}

ComposeRole compose_role(std::string_view name) {
  for (std::string_view extension : {".yml", ".yaml"})
    if (name.ends_with(extension)) {
      name.remove_suffix(extension.size());
      for (std::string_view stem : {"compose", "docker-compose"}) {
        if (name == stem)
          return ComposeRole::Base;
        if (name.starts_with(stem) && name.size() > stem.size() + 1 && name[stem.size()] == '.')
          return name.substr(stem.size() + 1) == "override" ? ComposeRole::Override
                                                            : ComposeRole::Overlay;
      }
    }
  return ComposeRole::Alone;
}

std::optional<ComposeFile> ComposeFile::from(const Document &document, bool by_name) {
  const auto services = yaml::find(document.root(), "services");
  if (!services)
    return std::nullopt;
  if (!services->value.IsMap() && !(by_name && services->value.IsNull()))
    return std::nullopt;
  ComposeFile file;
  file.document_ = &document;
  for (const Entry &entry : entries(services->value)) {
    if (!entry.value.IsMap() && !entry.value.IsNull())
      return std::nullopt; // `services:` of something else, e.g. a list of URLs
    file.by_name_.emplace(entry.key.Scalar(), file.services_.size());
    file.services_.push_back({entry.key.Scalar(), entry.key, entry.value});
  }
  return file;
}

const ComposeService *ComposeFile::service_named(std::string_view name) const {
  const auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &services_[it->second];
}

ComposeLookup ComposeFile::find(const ComposeService &service,
                                const std::vector<std::string> &path) const {
  const ComposeService *current = &service;
  for (int depth = 0; current && depth < kExtendsDepthLimit; ++depth) {
    if (auto entry = find_path(current->body, path))
      return {entry, false, std::nullopt};
    const auto extends = yaml::find(current->body, "extends");
    if (!extends)
      return {};
    std::optional<std::string> base = scalar(extends->value);
    if (!base) {
      const auto service_key = yaml::find(extends->value, "service");
      base = service_key ? scalar(service_key->value) : std::nullopt;
      if (const auto file = yaml::find(extends->value, "file")) {
        ComposeLookup lookup{std::nullopt, true, std::nullopt};
        if (const auto name = scalar(file->value); name && base)
          lookup.elsewhere = ServiceRef{*name, *base};
        return lookup;
      }
    }
    if (!base)
      return {};
    current = service_named(*base);
  }
  return {};
}

} // namespace leash::yaml
