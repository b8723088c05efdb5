// The settings a scan runs with: the catalog, resolved against the config file and the command
// line.
#pragma once

#include "core/catalog.h"
#include "core/config.h"
#include "core/hash.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <typeindex>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

// Each check's typed view of its rule's targets, parsed once (checks run on many threads).
class ParsedTargets {
public:
  template <class T, class Parse> const T &get(Language language, Parse parse) {
    std::lock_guard lock(mutex_);
    auto &slot = parsed_[{language, std::type_index(typeid(T))}];
    if (!slot)
      slot = std::make_shared<const T>(parse());
    return *std::static_pointer_cast<const T>(slot);
  }

private:
  std::mutex mutex_;
  std::map<std::pair<Language, std::type_index>, std::shared_ptr<const void>> parsed_;
};

struct RuleSettings {
  const Rule *rule = nullptr;
  bool enabled = true;
  Severity severity = Severity::Warning;
  nlohmann::json options;          // every option of the rule: its default, or the configured value
  std::vector<Language> languages; // those its checks run on (see Rule::opt_in_languages)
  std::map<Language, TargetData> targets; // the rule's, as the config extends them
  std::shared_ptr<ParsedTargets> parsed = std::make_shared<ParsedTargets>();
};

// What the command line adds on top of the config file.
struct Selection {
  std::optional<std::vector<std::string>> select; // replaces the config's `select`
  std::vector<std::string> ignore;                // added to the config's `ignore`
  std::vector<std::string> extend_select;         // added to the config's `extend-select`
};

class Settings {
public:
  // Throws UsageError for an unknown rule id on the command line, and for a config's extension of
  // a rule's targets that its check does not accept.
  Settings(const Catalog &catalog, const Config &config, const Selection &selection);

  const Catalog &catalog() const { return *catalog_; }
  const Config &config() const { return config_; }
  // nullptr when `rule` is unknown or not enabled.
  const RuleSettings *enabled(std::string_view rule) const;
  // The same, for the rule's check of `language`: nullptr also when it does not run on it.
  const RuleSettings *enabled(std::string_view rule, Language language) const;
  const std::vector<RuleSettings> &rules() const { return rules_; }
  // Changes whenever what the settings make leash report in a file could change: enabled rules,
  // severities, options, excludes and C++ settings (not per-file-ignores, applied per finding).
  const Digest &digest() const { return digest_; }

private:
  const Catalog *catalog_;
  Config config_;
  Digest digest_;
  std::vector<RuleSettings> rules_; // parallel to catalog().rules()
};

// Splits "a,b, c" into ids and checks each against the catalog (UsageError naming `flag`).
std::vector<std::string> parse_rule_list(std::string_view text, std::string_view flag,
                                         const Catalog &catalog);

} // namespace leash
