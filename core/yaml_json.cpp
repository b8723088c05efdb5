#include "core/yaml_json.h"

#include <charconv>
#include <regex>
#include <stdexcept>

namespace leash {

namespace {

nlohmann::json scalar_to_json(const YAML::Node &node) {
  const std::string &text = node.Scalar();
  if (node.Tag() == "!")
    return text; // quoted
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return nullptr;
  if (text == "true" || text == "True" || text == "TRUE")
    return true;
  if (text == "false" || text == "False" || text == "FALSE")
    return false;
  long long integer = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (ec == std::errc() && end == text.data() + text.size())
    return integer;
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  double number = 0;
  if (std::regex_match(text, kFloat) &&
      std::from_chars(text.data(), text.data() + text.size(), number).ec == std::errc())
    return number;
  return text;
}

} // namespace

nlohmann::json yaml_to_json(const YAML::Node &node, int depth_limit) {
  if (depth_limit <= 0)
    throw std::runtime_error("nesting is too deep");
  switch (node.Type()) {
  case YAML::NodeType::Scalar:
    return scalar_to_json(node);
  case YAML::NodeType::Sequence: {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &item : node)
      list.push_back(yaml_to_json(item, depth_limit - 1));
    return list;
  }
  case YAML::NodeType::Map: {
    nlohmann::json object = nlohmann::json::object();
    for (const auto &entry : node)
      object[entry.first.Scalar()] = yaml_to_json(entry.second, depth_limit - 1);
    return object;
  }
  default:
    return nullptr;
  }
}

const char *json_type_name(const nlohmann::json &value) {
  switch (value.type()) {
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::boolean:
    return "a boolean";
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
  case nlohmann::json::value_t::number_float:
    return "a number";
  case nlohmann::json::value_t::array:
    return "a list";
  case nlohmann::json::value_t::object:
    return "a mapping";
  default:
    return "null";
  }
}

} // namespace leash
