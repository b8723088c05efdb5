#include "core/config.h"

#include "core/suggest.h"
#include "core/yaml_json.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace leash {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kTopLevelKeys = {"select", "ignore", "exclude", "rules", "cpp"};
const std::vector<std::string> kCppKeys = {"extra_args", "include_paths"};
const std::vector<std::string> kRuleKeys = {"severity", "options"};

class ConfigReader {
public:
  ConfigReader(const fs::path &file, const Catalog &catalog) : file_(file), catalog_(catalog) {}

  [[noreturn]] void fail(const YAML::Node &at, const std::string &message) const {
    const YAML::Mark mark = at.Mark();
    if (mark.line < 0)
      throw UsageError(fmt::format("{}: {}", file_.string(), message));
    throw UsageError(
        fmt::format("{}:{}:{}: {}", file_.string(), mark.line + 1, mark.column + 1, message));
  }

  std::vector<std::string> string_list(const YAML::Node &value, std::string_view key) const {
    if (!value.IsSequence())
      fail(value, fmt::format("`{}` must be a list of strings", key));
    std::vector<std::string> items;
    for (const auto &item : value) {
      if (!item.IsScalar())
        fail(item, fmt::format("`{}` must be a list of strings", key));
      items.push_back(item.Scalar());
    }
    return items;
  }

  std::vector<std::string> rule_ids(const YAML::Node &value, std::string_view key) const {
    std::vector<std::string> ids = string_list(value, key);
    size_t index = 0;
    for (const auto &item : value) {
      check_rule_id(item, ids[index++]);
    }
    return ids;
  }

  void check_rule_id(const YAML::Node &at, const std::string &id) const {
    if (!catalog_.find(id))
      fail(at, fmt::format("unknown rule `{}`{}", id, did_you_mean(id, catalog_.ids())));
  }

  RuleConfig rule_config(const std::string &id, const YAML::Node &body) const {
    const Rule &rule = *catalog_.find(id);
    RuleConfig config;
    if (body.IsNull())
      return config;
    if (!body.IsMap())
      fail(body, fmt::format("rule `{}` takes a mapping with `severity` and `options`", id));
    for (const auto &entry : body) {
      const std::string &key = entry.first.Scalar();
      if (key == "severity") {
        config.severity = parse_severity(entry.second.Scalar());
        if (!config.severity || !entry.second.IsScalar())
          fail(entry.second, "severity must be error, warning or note");
      } else if (key == "options") {
        if (!entry.second.IsMap())
          fail(entry.second, "`options` must be a mapping");
        for (const auto &option : entry.second) {
          const std::string &name = option.first.Scalar();
          const RuleOption *known = rule.option(name);
          if (!known) {
            std::vector<std::string> names;
            for (const RuleOption &o : rule.options)
              names.push_back(o.name);
            fail(option.first, fmt::format("rule `{}` has no option `{}`{}", id, name,
                                           did_you_mean(name, names)));
          }
          nlohmann::json value;
          try {
            value = yaml_to_json(option.second);
          } catch (const std::exception &e) {
            fail(option.second, fmt::format("option `{}`: {}", name, e.what()));
          }
          if (known->default_value.is_array() && value.is_string())
            value = nlohmann::json::array({value});
          if (!same_shape(known->default_value, value))
            fail(option.second, fmt::format("option `{}` of rule `{}` must be {}", name, id,
                                            json_type_name(known->default_value)));
          config.options[name] = std::move(value);
        }
      } else {
        fail(entry.first, fmt::format("unknown key `{}` for rule `{}`{}", key, id,
                                      did_you_mean(key, kRuleKeys)));
      }
    }
    return config;
  }

  static bool same_shape(const nlohmann::json &expected, const nlohmann::json &actual) {
    if (expected.is_number())
      return actual.is_number();
    if (expected.is_array()) {
      if (!actual.is_array())
        return false;
      for (size_t i = 0; i < actual.size() && !expected.empty(); ++i)
        if (!same_shape(expected[0], actual[i]))
          return false;
      return true;
    }
    return expected.type() == actual.type();
  }

private:
  const fs::path &file_;
  const Catalog &catalog_;
};

} // namespace

Config load_config(const fs::path &file, const Catalog &catalog) {
  Config config;
  config.file = file;
  config.root = fs::absolute(file).lexically_normal().parent_path(); // "../.leash.yaml" too
  const ConfigReader reader(file, catalog);
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile &) {
    throw UsageError(fmt::format("{}: cannot read the config file", file.string()));
  } catch (const YAML::Exception &e) {
    throw UsageError(fmt::format("{}:{}:{}: not valid YAML: {}", file.string(), e.mark.line + 1,
                                 e.mark.column + 1, e.msg));
  }
  if (doc.IsNull())
    return config;
  if (!doc.IsMap())
    reader.fail(doc, "the config file must be a mapping");
  for (const auto &entry : doc) {
    const std::string &key = entry.first.Scalar();
    const YAML::Node &value = entry.second;
    if (key == "select") {
      config.select = reader.rule_ids(value, key);
    } else if (key == "ignore") {
      config.ignore = reader.rule_ids(value, key);
    } else if (key == "exclude") {
      config.exclude = reader.string_list(value, key);
    } else if (key == "rules") {
      if (!value.IsMap())
        reader.fail(value, "`rules` must be a mapping from rule id to settings");
      for (const auto &rule : value) {
        const std::string &id = rule.first.Scalar();
        reader.check_rule_id(rule.first, id);
        config.rules[id] = reader.rule_config(id, rule.second);
      }
    } else if (key == "cpp") {
      if (!value.IsMap())
        reader.fail(value, "`cpp` must be a mapping with `extra_args` and `include_paths`");
      for (const auto &option : value) {
        const std::string &name = option.first.Scalar();
        if (name == "extra_args") {
          config.cpp.extra_args = reader.string_list(option.second, name);
        } else if (name == "include_paths") {
          for (const std::string &path : reader.string_list(option.second, name))
            config.cpp.include_paths.push_back((config.root / path).lexically_normal());
        } else {
          reader.fail(option.first, fmt::format("unknown key `{}` in `cpp`{}", name,
                                                did_you_mean(name, kCppKeys)));
        }
      }
    } else {
      reader.fail(entry.first,
                  fmt::format("unknown key `{}`{}", key, did_you_mean(key, kTopLevelKeys)));
    }
  }
  return config;
}

std::optional<fs::path> find_config(const fs::path &start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (dir.filename().empty())
    dir = dir.parent_path(); // "a/b/" names the folder b
  if (!fs::is_directory(dir, ec))
    dir = dir.parent_path();
  for (;;) {
    fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, ec))
      return candidate;
    if (!dir.has_relative_path())
      return std::nullopt;
    dir = dir.parent_path();
  }
}

} // namespace leash
