// The rule catalog: one YAML file (metadata, options, per-language targets) and one Markdown doc
// per rule, embedded at build time (scripts/embed_catalog.cmake). Everything that describes a rule
// to users — `leash rules`, `leash explain`, SARIF's rules table, docs/rules.md — reads it from
// here.
#pragma once

#include "core/finding.h"
#include "core/language.h"
#include "core/targets.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leash {

struct EmbeddedRule {
  const char *id; // the file name without extension
  const char *yaml;
  const char *markdown;
};
const std::vector<EmbeddedRule> &embedded_rules();

struct RuleOption {
  std::string name;
  nlohmann::json default_value;
  std::string description;
};

struct Rule {
  std::string id;      // kebab-case, e.g. missing-memory-limit
  std::string name;    // PascalCase, for SARIF's reportingDescriptor.name
  std::string summary; // one sentence
  Severity severity = Severity::Warning;
  std::string precision; // SARIF precision: very-high, high, medium, low
  // Runs only when selected by name (`select`, `extend-select`): a rule not yet precise enough to
  // run on every repository.
  bool opt_in = false;
  std::vector<std::string> tags;
  std::vector<RuleOption> options;
  std::map<Language, TargetData> targets; // per-language data the checks read; see the YAML
  std::vector<Language> languages;        // the keys of `targets`: a check per language
  // Languages whose check runs only when a config names them (`languages:` of the rule's entry
  // in `.leash.yaml`): a check not yet precise enough to run wherever the rule does.
  std::vector<Language> opt_in_languages;
  std::string markdown; // What it does / Why is this bad? / Example / Use instead

  std::string help_uri() const;
  // The first paragraph of the "What it does" section.
  std::string full_description() const;
  const RuleOption *option(std::string_view name) const;
  // Whether its check of `language` is opt-in (see opt_in_languages).
  bool opt_in_for(Language language) const;
};

class Catalog {
public:
  // The catalog compiled into this binary.
  static const Catalog &builtin();
  // Throws CatalogError naming the rule and field that is wrong.
  static Catalog parse(const std::vector<EmbeddedRule> &rules);
  // The parsed catalog as data (CBOR), and back: the build parses and checks rules/*.yaml once
  // (scripts/compile_catalog.cpp) and builtin() reads the result, several times faster than
  // parsing the YAML on every run. The Markdown docs are not in it: from_data takes them from
  // `rules`, by id.
  std::vector<std::uint8_t> to_data() const;
  static Catalog from_data(const std::uint8_t *data, std::size_t size,
                           const std::vector<EmbeddedRule> &rules);

  const std::vector<Rule> &rules() const { return rules_; }
  const Rule *find(std::string_view id) const;
  // The position of `id` in rules(), which is sorted by id (SARIF ruleIndex).
  int index_of(std::string_view id) const;
  std::vector<std::string> ids() const;

private:
  std::vector<Rule> rules_;
};

// The Markdown section under "## heading" (without the heading), or "" when absent.
std::string markdown_section(std::string_view markdown, std::string_view heading);

} // namespace leash
