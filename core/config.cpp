#include "core/config.h"

#include "core/glob.h"
#include "core/read_file.h"
#include "core/source_file.h"
#include "core/suggest.h"
#include "core/yaml_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace leash {

namespace fs = std::filesystem;

// A config file is a page of settings; anything larger is not one.
constexpr std::size_t kMaxConfigBytes = std::size_t{4} << 20;

namespace {

const std::vector<std::string> kTopLevelKeys = {
    "extend",           "select", "extend-select", "ignore",           "exclude", "rules",
    "per-file-ignores", "cpp",    "max_file_size", "max_file_seconds", "helm"};
const std::vector<std::string> kCppKeys = {"compile_commands", "extra_args", "include_paths"};
const std::vector<std::string> kRuleKeys = {"severity", "languages", "options", "targets"};

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

  // `languages: [python, cpp]`: languages the rule has a check for, each once.
  std::vector<Language> rule_languages(const Rule &rule, const YAML::Node &node) const {
    std::vector<Language> languages;
    for (const std::string &name : string_list(node, "languages")) {
      const auto language = parse_language(name);
      const YAML::Node at = node[languages.size()];
      if (!language || std::find(rule.languages.begin(), rule.languages.end(), *language) ==
                           rule.languages.end())
        fail(at, fmt::format("rule `{}` has no check for `{}` (its languages: {}){}", rule.id, name,
                             fmt::join(to_strings(rule.languages), ", "),
                             did_you_mean(name, to_strings(rule.languages))));
      if (std::find(languages.begin(), languages.end(), *language) != languages.end())
        fail(at, fmt::format("`{}` is listed twice", name));
      languages.push_back(*language);
    }
    std::sort(languages.begin(), languages.end()); // as Rule::languages: one digest per set
    return languages;
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
      } else if (key == "languages") {
        config.languages = rule_languages(rule, entry.second);
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
      } else if (key == "targets") {
        if (!entry.second.IsMap())
          fail(entry.second, "`targets` must map languages (python, cpp, yaml) to entries");
        for (const auto &language_entry : entry.second) {
          const std::string &name = language_entry.first.Scalar();
          const auto language = parse_language(name);
          if (!language || std::find(rule.languages.begin(), rule.languages.end(), *language) ==
                               rule.languages.end())
            fail(language_entry.first,
                 fmt::format("rule `{}` has no {} targets to extend{}", id, name,
                             did_you_mean(name, to_strings(rule.languages))));
          TargetData &data = config.targets[*language];
          data.value = yaml_to_json_marked(language_entry.second, file_.string(), "", data.marks);
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

bool PathGlob::matches(const fs::path &path) const {
  const std::string relative = path.lexically_relative(base).generic_string();
  if (relative.empty() || relative == "." || relative.starts_with(".."))
    return false;
  return path_excluded(pattern, relative);
}

bool Config::ignores_in(const fs::path &path, std::string_view rule) const {
  for (const PathIgnores &entry : per_file_ignores)
    if (std::find(entry.rules.begin(), entry.rules.end(), rule) != entry.rules.end() &&
        entry.glob.matches(path))
      return true;
  return false;
}

namespace {

// Loads `file` over `config` (what it extends, or an empty config); `chain` lists the files being
// loaded, to refuse a cycle of `extend`s.
void load_into(Config &config, const fs::path &file, const Catalog &catalog,
               std::vector<fs::path> &chain) {
  config.file = file;
  config.root = fs::absolute(file).lexically_normal().parent_path(); // "../.leash.yaml" too
  const ConfigReader reader(file, catalog);
  std::string text;
  if (const auto failure = read_regular_file(file, kMaxConfigBytes, text))
    throw UsageError(
        fmt::format("{}: cannot read the config file: {}", file.string(), failure->message));
  // YAML's own rule (it is text: UTF-8, no control characters but tab and line breaks); yaml-cpp
  // does not enforce it, and turns such bytes into strings that are not UTF-8.
  size_t bad = first_invalid_utf8(text);
  const auto control = std::find_if(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7F;
  });
  const size_t control_at = static_cast<size_t>(control - text.begin());
  if (bad != std::string::npos || control != text.end()) {
    const bool is_control = control_at < bad;
    bad = std::min(bad, control_at);
    const size_t newline = bad == 0 ? std::string::npos : text.rfind('\n', bad - 1);
    const size_t line_start = newline == std::string::npos ? 0 : newline + 1;
    const auto line = std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n') + 1;
    const int column =
        count_characters(std::string_view(text).substr(line_start, bad - line_start)) + 1;
    throw UsageError(fmt::format("{}:{}:{}: {} (a config file is UTF-8 text)", file.string(), line,
                                 column,
                                 is_control ? fmt::format("a control character (byte 0x{:02X})",
                                                          static_cast<unsigned char>(text[bad]))
                                            : std::string("not valid UTF-8")));
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception &e) {
    throw UsageError(fmt::format("{}:{}:{}: not valid YAML: {}", file.string(), e.mark.line + 1,
                                 e.mark.column + 1, e.msg));
  }
  if (doc.IsNull())
    return;
  if (!doc.IsMap())
    reader.fail(doc, "the config file must be a mapping");
  const auto globs = [&](const YAML::Node &value, std::string_view key) {
    std::vector<PathGlob> out;
    for (std::string &pattern : reader.string_list(value, key))
      out.push_back({config.root, std::move(pattern)});
    return out;
  };
  // `extend` first, wherever it is written: the other keys are laid over what it loads.
  if (const YAML::Node parent = doc["extend"]) {
    if (!parent.IsScalar() || parent.Scalar().empty())
      reader.fail(parent, "`extend` must be the path of another config file");
    const fs::path path = fs::path(file).parent_path() / parent.Scalar();
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end())
      reader.fail(parent, fmt::format("`extend` makes a cycle: {} extends back to this file",
                                      path.lexically_normal().string()));
    if (!fs::is_regular_file(path, ec))
      reader.fail(parent,
                  fmt::format("`extend`: {} is not a file", path.lexically_normal().string()));
    chain.push_back(canonical);
    load_into(config, path.lexically_normal(), catalog, chain);
    chain.pop_back();
    config.file = file;
    config.root = fs::absolute(file).lexically_normal().parent_path();
  }
  for (const auto &entry : doc) {
    const std::string &key = entry.first.Scalar();
    const YAML::Node &value = entry.second;
    if (key == "extend") {
      continue;
    } else if (key == "select") {
      config.select = reader.rule_ids(value, key);
    } else if (key == "extend-select") {
      config.extend_select = reader.rule_ids(value, key);
    } else if (key == "ignore") {
      config.ignore = reader.rule_ids(value, key);
    } else if (key == "exclude") {
      config.exclude = globs(value, key);
    } else if (key == "per-file-ignores") {
      if (!value.IsMap())
        reader.fail(value, "`per-file-ignores` must be a mapping from a glob to a list of rules");
      config.per_file_ignores.clear();
      for (const auto &glob : value)
        config.per_file_ignores.push_back({{config.root, glob.first.Scalar()},
                                           reader.rule_ids(glob.second, glob.first.Scalar())});
    } else if (key == "rules") {
      if (!value.IsMap())
        reader.fail(value, "`rules` must be a mapping from rule id to settings");
      for (const auto &rule : value) {
        const std::string &id = rule.first.Scalar();
        reader.check_rule_id(rule.first, id);
        RuleConfig &merged = config.rules[id];
        RuleConfig own = reader.rule_config(id, rule.second);
        if (own.severity)
          merged.severity = own.severity;
        if (own.languages)
          merged.languages = std::move(own.languages);
        for (auto &[name, option] : own.options.items())
          merged.options[name] = std::move(option);
        for (auto &[language, data] : own.targets)
          merged.targets[language] = std::move(data);
      }
    } else if (key == "max_file_size") {
      long long mib = 0;
      if (!value.IsScalar() || !YAML::convert<long long>::decode(value, mib) || mib < 1 ||
          mib > 4096)
        reader.fail(value, "`max_file_size` must be a whole number of MiB from 1 to 4096");
      config.max_file_bytes = static_cast<std::size_t>(mib) << 20;
    } else if (key == "max_file_seconds") {
      double seconds = -1;
      if (!value.IsScalar() || !YAML::convert<double>::decode(value, seconds) ||
          !(seconds >= 0 && seconds <= 3600))
        reader.fail(value, "`max_file_seconds` must be a number of seconds from 0 (no limit) to "
                           "3600");
      config.max_file_time = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
      if (seconds > 0 && config.max_file_time.count() == 0)
        config.max_file_time = std::chrono::milliseconds(1);
    } else if (key == "cpp") {
      if (!value.IsMap())
        reader.fail(value, "`cpp` must be a mapping with `compile_commands`, `extra_args` and "
                           "`include_paths`");
      for (const auto &option : value) {
        const std::string &name = option.first.Scalar();
        if (name == "compile_commands") {
          if (!option.second.IsScalar() || option.second.Scalar().empty())
            reader.fail(option.second, "`compile_commands` must be the folder of a "
                                       "compile_commands.json, or `none`");
          const std::string &dir = option.second.Scalar();
          config.cpp.compile_commands =
              dir == "none" ? fs::path() : (config.root / dir).lexically_normal();
          std::error_code ec; // a name too long for the system is one that is not there
          if (dir != "none" &&
              !fs::is_regular_file(*config.cpp.compile_commands / "compile_commands.json", ec))
            reader.fail(option.second,
                        fmt::format("`compile_commands`: no compile_commands.json in {}", dir));
        } else if (name == "extra_args") {
          config.cpp.extra_args = reader.string_list(option.second, name);
        } else if (name == "include_paths") {
          config.cpp.include_paths.clear();
          for (const std::string &path : reader.string_list(option.second, name))
            config.cpp.include_paths.push_back((config.root / path).lexically_normal());
        } else {
          reader.fail(option.first, fmt::format("unknown key `{}` in `cpp`{}", name,
                                                did_you_mean(name, kCppKeys)));
        }
      }
    } else if (key == "helm") {
      if (!value.IsMap())
        reader.fail(value, "`helm` must be a mapping with `values`");
      for (const auto &option : value) {
        const std::string &name = option.first.Scalar();
        if (name != "values")
          reader.fail(option.first,
                      fmt::format("unknown key `{}` in `helm`{}", name,
                                  did_you_mean(name, std::vector<std::string>{"values"})));
        config.helm.values.clear();
        const std::vector<std::string> files = reader.string_list(option.second, name);
        for (size_t i = 0; i < files.size(); ++i) {
          const fs::path path = (config.root / files[i]).lexically_normal();
          std::error_code ec;
          if (!fs::is_regular_file(path, ec))
            reader.fail(option.second[i], fmt::format("`helm: values`: no file {}", files[i]));
          config.helm.values.push_back(path);
        }
      }
    } else {
      reader.fail(entry.first,
                  fmt::format("unknown key `{}`{}", key, did_you_mean(key, kTopLevelKeys)));
    }
  }
}

} // namespace

Config load_config(const fs::path &file, const Catalog &catalog) {
  Config config;
  std::error_code ec;
  std::vector<fs::path> chain = {fs::weakly_canonical(file, ec)};
  load_into(config, file, catalog, chain);
  return config;
}

} // namespace leash
