#include "core/catalog.h"

#include "core/language.h"

#include "core/yaml_json.h"
#include "leash/version.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace leash {

namespace {

const std::set<std::string, std::less<>> kRuleKeys = {
    "id",   "name",    "summary", "severity", "precision", "opt_in", "opt_in_languages",
    "tags", "options", "targets"};
const std::set<std::string, std::less<>> kPrecisions = {"very-high", "high", "medium", "low"};

std::string required_string(const YAML::Node &doc, const char *key, std::string_view id) {
  const YAML::Node value = doc[key];
  if (!value || !value.IsScalar() || value.Scalar().empty())
    throw CatalogError(fmt::format("rule {}: `{}` must be a non-empty string", id, key));
  return value.Scalar();
}

Rule parse_rule(const EmbeddedRule &embedded) {
  const std::string_view file_id = embedded.id;
  YAML::Node doc;
  try {
    doc = YAML::Load(embedded.yaml);
  } catch (const YAML::Exception &e) {
    throw CatalogError(fmt::format("rules/{}.yaml: {}", file_id, e.what()));
  }
  if (!doc.IsMap())
    throw CatalogError(fmt::format("rules/{}.yaml: expected a mapping", file_id));
  for (const auto &entry : doc)
    if (!kRuleKeys.contains(entry.first.Scalar()))
      throw CatalogError(
          fmt::format("rules/{}.yaml: unknown key `{}`", file_id, entry.first.Scalar()));

  Rule rule;
  rule.id = required_string(doc, "id", file_id);
  if (rule.id != file_id)
    throw CatalogError(
        fmt::format("rules/{}.yaml: id `{}` must match the file name", file_id, rule.id));
  rule.name = required_string(doc, "name", file_id);
  rule.summary = required_string(doc, "summary", file_id);
  const auto severity = parse_severity(required_string(doc, "severity", file_id));
  if (!severity)
    throw CatalogError(fmt::format("rule {}: severity must be error, warning or note", file_id));
  rule.severity = *severity;
  rule.precision = required_string(doc, "precision", file_id);
  if (!kPrecisions.contains(rule.precision))
    throw CatalogError(
        fmt::format("rule {}: precision must be very-high, high, medium or low", file_id));
  if (const YAML::Node opt_in = doc["opt_in"]) {
    if (!opt_in.IsScalar() || (opt_in.Scalar() != "true" && opt_in.Scalar() != "false"))
      throw CatalogError(fmt::format("rule {}: `opt_in` must be true or false", file_id));
    rule.opt_in = opt_in.Scalar() == "true";
  }
  if (const YAML::Node tags = doc["tags"]; tags && tags.IsSequence())
    for (const auto &tag : tags)
      rule.tags.push_back(tag.Scalar());
  if (const YAML::Node options = doc["options"]; options && options.IsMap()) {
    for (const auto &entry : options) {
      const YAML::Node spec = entry.second;
      if (!spec.IsMap() || !spec["default"] || !spec["description"])
        throw CatalogError(fmt::format("rule {}: option `{}` needs `default` and `description`",
                                       file_id, entry.first.Scalar()));
      rule.options.push_back(
          {entry.first.Scalar(), yaml_to_json(spec["default"]), spec["description"].Scalar()});
    }
  }
  const YAML::Node targets = doc["targets"];
  if (!targets || !targets.IsMap())
    throw CatalogError(fmt::format("rule {}: `targets` must map languages to their data", file_id));
  const std::string file = fmt::format("rules/{}.yaml", file_id);
  for (const auto &entry : targets) {
    const std::string &name = entry.first.Scalar();
    const auto language = parse_language(name);
    if (!language)
      throw CatalogError(
          fmt::format("{}:{}:{}: `targets` names `{}`, which is not a language (yaml, python, cpp)",
                      file, entry.first.Mark().line + 1, entry.first.Mark().column + 1, name));
    TargetData &data = rule.targets[*language];
    data.value = yaml_to_json_marked(entry.second, file, "", data.marks);
    rule.languages.push_back(*language);
  }
  std::sort(rule.languages.begin(), rule.languages.end());
  if (const YAML::Node opt_in = doc["opt_in_languages"]) {
    const auto fail = [&](const YAML::Node &at, const std::string &message) {
      throw CatalogError(
          fmt::format("{}:{}:{}: {}", file, at.Mark().line + 1, at.Mark().column + 1, message));
    };
    if (!opt_in.IsSequence())
      fail(opt_in, "`opt_in_languages` must list languages");
    for (const auto &entry : opt_in) {
      if (!entry.IsScalar())
        fail(entry, "`opt_in_languages` must list languages");
      const std::string &name = entry.Scalar();
      const auto language = parse_language(name);
      if (!language || !std::binary_search(rule.languages.begin(), rule.languages.end(), *language))
        fail(entry,
             fmt::format("`opt_in_languages` names `{}`, which the rule has no targets for", name));
      if (rule.opt_in_for(*language))
        fail(entry, fmt::format("`opt_in_languages` names `{}` twice", name));
      rule.opt_in_languages.push_back(*language);
    }
  }
  rule.markdown = embedded.markdown;
  return rule;
}

} // namespace

bool Rule::opt_in_for(Language language) const {
  return std::find(opt_in_languages.begin(), opt_in_languages.end(), language) !=
         opt_in_languages.end();
}

std::string Rule::help_uri() const {
  return fmt::format("{}/blob/main/rules/{}.md", kHomepage, id);
}

std::string markdown_section(std::string_view markdown, std::string_view heading) {
  const std::string marker = fmt::format("## {}\n", heading);
  size_t start = markdown.find(marker);
  if (start == std::string_view::npos)
    return {};
  start += marker.size();
  size_t end = markdown.find("\n## ", start);
  std::string_view body = markdown.substr(
      start, end == std::string_view::npos ? std::string_view::npos : end - start + 1);
  while (!body.empty() && (body.front() == '\n' || body.front() == ' '))
    body.remove_prefix(1);
  while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
    body.remove_suffix(1);
  return std::string(body);
}

std::string Rule::full_description() const {
  const std::string section = markdown_section(markdown, "What it does");
  std::string paragraph = section.substr(0, section.find("\n\n"));
  std::replace(paragraph.begin(), paragraph.end(), '\n', ' ');
  return paragraph.empty() ? summary : paragraph;
}

const RuleOption *Rule::option(std::string_view option_name) const {
  for (const RuleOption &o : options)
    if (o.name == option_name)
      return &o;
  return nullptr;
}

Catalog Catalog::parse(const std::vector<EmbeddedRule> &rules) {
  Catalog catalog;
  for (const EmbeddedRule &embedded : rules)
    catalog.rules_.push_back(parse_rule(embedded));
  std::sort(catalog.rules_.begin(), catalog.rules_.end(),
            [](const Rule &a, const Rule &b) { return a.id < b.id; });
  return catalog;
}

std::vector<std::uint8_t> Catalog::to_data() const {
  nlohmann::json rules = nlohmann::json::array();
  for (const Rule &rule : rules_) {
    nlohmann::json options = nlohmann::json::array();
    for (const RuleOption &option : rule.options)
      options.push_back({option.name, option.default_value, option.description});
    nlohmann::json targets = nlohmann::json::object();
    for (const auto &[language, data] : rule.targets) {
      nlohmann::json marks = nlohmann::json::object();
      for (const auto &[pointer, mark] : data.marks)
        marks[pointer] = {mark.file, mark.line, mark.column};
      targets[std::string(to_string(language))] = {data.value, marks};
    }
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"summary", rule.summary},
                     {"severity", to_string(rule.severity)},
                     {"precision", rule.precision},
                     {"opt_in", rule.opt_in},
                     {"tags", rule.tags},
                     {"options", options},
                     {"targets", targets},
                     {"opt_in_languages", to_strings(rule.opt_in_languages)}});
  }
  return nlohmann::json::to_cbor(rules);
}

Catalog Catalog::from_data(const std::uint8_t *data, std::size_t size,
                           const std::vector<EmbeddedRule> &embedded) {
  const auto language = [](const std::string &name) { return *parse_language(name); };
  Catalog catalog;
  nlohmann::json rules = nlohmann::json::from_cbor(data, data + size);
  for (nlohmann::json &entry : rules) { // moved from: the targets are most of it
    Rule rule;
    rule.id = entry["id"];
    rule.name = entry["name"];
    rule.summary = entry["summary"];
    rule.severity = *parse_severity(entry["severity"].get<std::string>());
    rule.precision = entry["precision"];
    rule.opt_in = entry["opt_in"];
    rule.tags = entry["tags"].get<std::vector<std::string>>();
    for (nlohmann::json &option : entry["options"])
      rule.options.push_back({option[0], std::move(option[1]), option[2]});
    for (auto &&[name, target] : entry["targets"].items()) {
      TargetData &data = rule.targets[language(name)];
      data.value = std::move(target[0]);
      for (const auto &[pointer, mark] : target[1].items())
        data.marks.emplace_hint(data.marks.end(), pointer,
                                SourceMark{mark[0], mark[1], mark[2]}); // in order
      rule.languages.push_back(language(name));
    }
    std::sort(rule.languages.begin(), rule.languages.end());
    for (const nlohmann::json &name : entry["opt_in_languages"])
      rule.opt_in_languages.push_back(language(name.get<std::string>()));
    for (const EmbeddedRule &source : embedded)
      if (rule.id == source.id)
        rule.markdown = source.markdown;
    catalog.rules_.push_back(std::move(rule));
  }
  return catalog;
}

const Rule *Catalog::find(std::string_view id) const {
  const int index = index_of(id);
  return index < 0 ? nullptr : &rules_[index];
}

int Catalog::index_of(std::string_view id) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id,
                             [](const Rule &rule, std::string_view key) { return rule.id < key; });
  return it != rules_.end() && it->id == id ? static_cast<int>(it - rules_.begin()) : -1;
}

std::vector<std::string> Catalog::ids() const {
  std::vector<std::string> ids;
  for (const Rule &rule : rules_)
    ids.push_back(rule.id);
  return ids;
}

} // namespace leash
