#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

namespace leash::yaml {

namespace {

std::vector<SettingPath> dotted_paths(const std::optional<TargetReader> &list) {
  std::vector<SettingPath> paths;
  if (list)
    for (const std::string &dotted : list->strings())
      paths.push_back(split_path(dotted));
  return paths;
}

} // namespace

SettingPaths SettingPaths::read(const TargetReader::Record &targets) {
  SettingPaths paths{dotted_paths(targets.get("compose")), dotted_paths(targets.get("kubernetes"))};
  if (paths.compose.empty() && paths.kubernetes.empty())
    targets.reader().fail("name where the setting is: `compose` or `kubernetes` paths");
  return paths;
}

ServiceSettings settings_of(const ComposeFile &file, const ComposeService &service,
                            const std::vector<SettingPath> &paths, Inherited inherited) {
  ServiceSettings settings;
  for (const SettingPath &path : paths) {
    if (inherited == Inherited::Ignored) {
      if (auto entry = find_path(service.body, path))
        settings.found.push_back({&path, std::move(*entry)});
      continue;
    }
    ComposeLookup lookup = file.find(service, path);
    settings.unknown |= lookup.unknown;
    if (!settings.elsewhere)
      settings.elsewhere = std::move(lookup.elsewhere);
    if (lookup.entry)
      settings.found.push_back({&path, std::move(*lookup.entry)});
  }
  return settings;
}

std::vector<Setting> settings_of(const KubeContainer &container,
                                 const std::vector<SettingPath> &paths) {
  std::vector<Setting> found;
  for (const SettingPath &path : paths)
    if (auto entry = find_path(container.body, path))
      found.push_back({&path, std::move(*entry)});
  return found;
}

Place place_of(const Document &document, const YAML::Node &node, const CheckContext &context) {
  if (const LineOrigin *origin = document.origin_of(node))
    return {origin->path, origin->span, origin};
  return {context.source().path(), document.span(node), nullptr};
}

std::string values_note(const Place &place, const CheckContext &context) {
  if (!place.origin)
    return {};
  return fmt::format(" (the template {} takes it from `{}` here)", context.source().path(),
                     place.origin->key);
}

void report_at(const Place &place, std::string message, CheckContext &context) {
  context.report_in(place.path, place.span, message + values_note(place, context));
}

} // namespace leash::yaml
