// Converts parsed YAML into JSON values (options and targets are read as JSON: immutable, typed and
// safe to share between threads).
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace leash {

// Plain scalars become null, booleans, integers or floats where YAML 1.2's core schema says so;
// quoted scalars stay strings. Aliases are expanded; `depth_limit` bounds nesting.
nlohmann::json yaml_to_json(const YAML::Node &node, int depth_limit = 64);

// A one-word name for a JSON value's type ("a string", "a list", ...), for error messages.
const char *json_type_name(const nlohmann::json &value);

} // namespace leash
