#include "core/settings.h"

#include "core/analysis.h"

#include "core/strings.h"
#include "core/suggest.h"

#include <fmt/format.h>

#include <algorithm>

namespace leash {

namespace {

// Never throws: a string that is not UTF-8 (which the config loader refuses) still hashes.
std::string dump_for_digest(const nlohmann::json &value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

Settings::Settings(const Catalog &catalog, const Config &config, const Selection &selection)
    : catalog_(&catalog), config_(config) {
  const auto &select = selection.select ? selection.select : config.select;
  auto listed = [](const std::vector<std::string> &ids, const std::string &id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  for (const Rule &rule : catalog.rules()) {
    RuleSettings settings;
    settings.rule = &rule;
    // An opt-in rule runs only when selected by name; the others by default too. --select
    // replaces the config's selection, its `extend-select` included (as ruff's does).
    const bool selected = select ? listed(*select, rule.id) : !rule.opt_in;
    const bool extended = (!selection.select && listed(config.extend_select, rule.id)) ||
                          listed(selection.extend_select, rule.id);
    settings.enabled = (selected || extended) && !listed(config.ignore, rule.id) &&
                       !listed(selection.ignore, rule.id);
    settings.severity = rule.severity;
    settings.options = nlohmann::json::object();
    for (const RuleOption &option : rule.options)
      settings.options[option.name] = option.default_value;
    settings.targets = rule.targets;
    for (Language language : rule.languages)
      if (!rule.opt_in_for(language))
        settings.languages.push_back(language);
    if (auto it = config.rules.find(rule.id); it != config.rules.end()) {
      if (it->second.severity)
        settings.severity = *it->second.severity;
      if (it->second.languages)
        settings.languages = *it->second.languages;
      for (const auto &[name, value] : it->second.options.items())
        settings.options[name] = value;
      // The config's entries, checked by the very parser the rule's check reads them with.
      for (const auto &[language, extension] : it->second.targets) {
        try {
          settings.targets[language] = extend_targets(rule.targets.at(language), extension);
          validate_targets(rule, language, settings.targets[language]);
        } catch (const CatalogError &e) {
          throw UsageError(e.what());
        }
      }
    }
    rules_.push_back(std::move(settings));
  }
  Hasher hash;
  for (const RuleSettings &rule : rules_)
    if (rule.enabled)
      hash.field(rule.rule->id)
          .field(to_string(rule.severity))
          .field(dump_for_digest(rule.options));
  hash.field("languages");
  for (const RuleSettings &rule : rules_)
    if (rule.enabled)
      for (Language language : rule.languages)
        hash.field(rule.rule->id).field(to_string(language));
  for (const RuleSettings &rule : rules_)
    if (rule.enabled && config_.rules.contains(rule.rule->id))
      for (const auto &[language, data] : rule.targets)
        hash.field(to_string(language)).field(dump_for_digest(data.value));
  hash.field("exclude");
  for (const PathGlob &glob : config_.exclude)
    hash.field(glob.base.string()).field(glob.pattern);
  hash.field("cpp").field(config_.cpp.compile_commands ? config_.cpp.compile_commands->string()
                                                       : std::string("\0nearest", 8));
  for (const std::string &arg : config_.cpp.extra_args)
    hash.field(arg);
  for (const auto &path : config_.cpp.include_paths)
    hash.field(path.string());
  hash.field("helm"); // their text is read with each template (see the YAML front end)
  for (const auto &path : config_.helm.values)
    hash.field(path.string());
  digest_ = hash.digest();
}

const RuleSettings *Settings::enabled(std::string_view rule) const {
  const int index = catalog_->index_of(rule);
  if (index < 0 || !rules_[index].enabled)
    return nullptr;
  return &rules_[index];
}

const RuleSettings *Settings::enabled(std::string_view rule, Language language) const {
  const RuleSettings *settings = enabled(rule);
  if (!settings || std::find(settings->languages.begin(), settings->languages.end(), language) ==
                       settings->languages.end())
    return nullptr;
  return settings;
}

std::vector<std::string> parse_rule_list(std::string_view text, std::string_view flag,
                                         const Catalog &catalog) {
  std::vector<std::string> ids;
  for (std::string_view item : split_list(text)) {
    if (!catalog.find(item))
      throw UsageError(
          fmt::format("{}: unknown rule `{}`{}", flag, item, did_you_mean(item, catalog.ids())));
    ids.emplace_back(item);
  }
  return ids;
}

} // namespace leash
