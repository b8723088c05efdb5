#include "core/targets.h"

#include "core/suggest.h"
#include "core/yaml_json.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace leash {

namespace {

// RFC 6901: `~` and `/` in a key are escaped.
std::string pointer_key(std::string_view key) {
  std::string out;
  for (char c : key)
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

constexpr int kDepthLimit = 64;

nlohmann::json convert(const YAML::Node &node, const std::string &file, const std::string &pointer,
                       std::map<std::string, SourceMark> &marks, int depth) {
  if (depth > kDepthLimit)
    throw CatalogError(fmt::format("{}: targets are nested too deeply", file));
  const YAML::Mark mark = node.Mark();
  marks[pointer] = {file, mark.line + 1, mark.column + 1};
  if (node.IsSequence()) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < node.size(); ++i)
      list.push_back(convert(node[i], file, fmt::format("{}/{}", pointer, i), marks, depth + 1));
    return list;
  }
  if (node.IsMap()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto &entry : node) {
      const std::string key = entry.first.Scalar();
      const std::string at = pointer + "/" + pointer_key(key);
      object[key] = convert(entry.second, file, at, marks, depth + 1);
      const YAML::Mark key_mark = entry.first.Mark(); // an unknown key is reported at the key
      marks[at + "#key"] = {file, key_mark.line + 1, key_mark.column + 1};
    }
    return object;
  }
  return yaml_to_json(node);
}

void copy_marks(const std::map<std::string, SourceMark> &from, const std::string &from_prefix,
                const std::string &to_prefix, std::map<std::string, SourceMark> &to) {
  for (auto it = from.lower_bound(from_prefix); it != from.end(); ++it) {
    if (!it->first.starts_with(from_prefix))
      break;
    const std::string_view rest = std::string_view(it->first).substr(from_prefix.size());
    if (!rest.empty() && rest.front() != '/' && rest.front() != '#')
      continue; // "/10" is not below "/1"
    to[to_prefix + std::string(rest)] = it->second;
  }
}

} // namespace

nlohmann::json yaml_to_json_marked(const YAML::Node &node, const std::string &file,
                                   const std::string &pointer,
                                   std::map<std::string, SourceMark> &marks) {
  return convert(node, file, pointer, marks, 0);
}

TargetData extend_targets(const TargetData &base, const TargetData &extension) {
  TargetData out;
  const TargetReader at(extension);
  if (extension.value.is_array()) {
    if (!base.value.is_array())
      at.fail("these targets are a mapping: extend them with a mapping of lists");
    out.value = extension.value;
    copy_marks(extension.marks, "", "", out.marks);
    const size_t offset = extension.value.size();
    for (size_t i = 0; i < base.value.size(); ++i) {
      out.value.push_back(base.value[i]);
      copy_marks(base.marks, fmt::format("/{}", i), fmt::format("/{}", offset + i), out.marks);
    }
    return out;
  }
  if (!extension.value.is_object() || !base.value.is_object())
    at.fail(base.value.is_array() ? "these targets are a list: extend them with a list of entries"
                                  : "targets are extended with a list or a mapping of lists");
  out = base;
  for (const auto &[key, items] : extension.value.items()) {
    const std::string pointer = fmt::format("/{}", pointer_key(key));
    const auto known = base.value.find(key);
    if (known == base.value.end() || !known->is_array() || !items.is_array()) {
      std::vector<std::string> lists;
      for (const auto &[name, value] : base.value.items())
        if (value.is_array())
          lists.push_back(name);
      const auto mark_it = extension.marks.find(pointer + "#key");
      const SourceMark mark = mark_it != extension.marks.end() ? mark_it->second : SourceMark{};
      throw CatalogError(fmt::format("{}:{}:{}: `{}` is not a list these targets have{}", mark.file,
                                     mark.line, mark.column, key, did_you_mean(key, lists)));
    }
    auto &list = out.value[key];
    const size_t offset = list.size();
    for (size_t i = 0; i < items.size(); ++i) {
      list.push_back(items[i]);
      copy_marks(extension.marks, fmt::format("{}/{}", pointer, i),
                 fmt::format("{}/{}", pointer, offset + i), out.marks);
    }
  }
  return out;
}

SourceMark TargetReader::mark() const {
  // The nearest value written in a file: this one, else the one holding it.
  for (std::string pointer = pointer_;; pointer = pointer.substr(0, pointer.rfind('/'))) {
    if (const auto it = data_.marks.find(pointer); it != data_.marks.end())
      return it->second;
    if (pointer.empty())
      return {};
  }
}

void TargetReader::fail(const std::string &message) const {
  const SourceMark at = mark();
  if (at.file.empty())
    throw CatalogError(fmt::format("targets: {}", message));
  throw CatalogError(fmt::format("{}:{}:{}: {}", at.file, at.line, at.column, message));
}

std::string TargetReader::string() const {
  if (!value_.is_string() || value_.get_ref<const std::string &>().empty())
    fail(fmt::format("expected a non-empty string, not {}", json_type_name(value_)));
  return value_.get<std::string>();
}

std::string TargetReader::one_of(std::initializer_list<std::string_view> allowed) const {
  const std::string text = string();
  for (std::string_view value : allowed)
    if (value == text)
      return text;
  fail(fmt::format("unknown value `{}`{}", text,
                   did_you_mean(text, std::vector<std::string>(allowed.begin(), allowed.end()))));
}

bool TargetReader::boolean() const {
  if (!value_.is_boolean())
    fail(fmt::format("expected true or false, not {}", json_type_name(value_)));
  return value_.get<bool>();
}

long long TargetReader::integer() const {
  if (!value_.is_number_integer())
    fail(fmt::format("expected a whole number, not {}", json_type_name(value_)));
  return value_.get<long long>();
}

std::vector<std::string> TargetReader::strings() const {
  std::vector<std::string> out;
  for (const TargetReader &item : items())
    out.push_back(item.string());
  return out;
}

std::set<std::string, std::less<>> TargetReader::words() const {
  std::set<std::string, std::less<>> out;
  for (const TargetReader &item : items()) {
    std::string text = item.string();
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        }))
      item.fail("a word is lower-case letters and digits (`setup`, `id`)");
    out.insert(std::move(text));
  }
  return out;
}

std::vector<TargetReader> TargetReader::items() const {
  if (!value_.is_array())
    fail(fmt::format("expected a list, not {}", json_type_name(value_)));
  std::vector<TargetReader> out;
  for (size_t i = 0; i < value_.size(); ++i)
    out.push_back(item(i));
  return out;
}

std::vector<std::pair<std::string, TargetReader>> TargetReader::entries() const {
  if (!value_.is_object())
    fail(fmt::format("expected a mapping, not {}", json_type_name(value_)));
  std::vector<std::pair<std::string, TargetReader>> out;
  for (const auto &[key, value] : value_.items())
    out.emplace_back(key, child(key));
  return out;
}

TargetRecord TargetReader::record(std::initializer_list<std::string_view> keys) const {
  if (!value_.is_object())
    fail(fmt::format("expected a mapping, not {}", json_type_name(value_)));
  const std::vector<std::string> known(keys.begin(), keys.end());
  for (const auto &[key, value] : value_.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end())
      continue;
    const auto at = data_.marks.find(pointer_ + "/" + pointer_key(key) + "#key");
    const std::string message = fmt::format("unknown key `{}`{}", key, did_you_mean(key, known));
    if (at == data_.marks.end())
      fail(message);
    throw CatalogError(
        fmt::format("{}:{}:{}: {}", at->second.file, at->second.line, at->second.column, message));
  }
  return TargetRecord(*this);
}

std::optional<TargetReader> TargetRecord::get(std::string_view key) const {
  const std::string name(key);
  if (!owner_.value_.contains(name))
    return std::nullopt;
  return owner_.child(name);
}

TargetReader TargetRecord::required(std::string_view key) const {
  if (auto value = get(key))
    return *value;
  owner_.fail(fmt::format("`{}` is missing", key));
}

TargetReader TargetReader::child(const std::string &key) const {
  return TargetReader(data_, value_.at(key), pointer_ + "/" + pointer_key(key));
}

TargetReader TargetReader::item(size_t index) const {
  return TargetReader(data_, value_.at(index), fmt::format("{}/{}", pointer_, index));
}

} // namespace leash
