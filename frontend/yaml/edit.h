// Fixes for YAML as people write it: adding a nested key (`resources.limits.memory: 512Mi`) to a
// mapping, in the mapping's own style (block lines at its indentation, or `, key: value` inside a
// one-line flow mapping), with the file's line breaks, leaving everything else as it was.
#pragma once

#include "frontend/yaml/document.h"

#include <optional>
#include <string>
#include <vector>

namespace leash::yaml {

// The edit that sets `path` (each key below the one before) to `value` in `map`, the value of
// `key` (`key` locates a mapping that is empty or null). Keys of `path` that the mapping already
// has (written in it, not merged from an anchor) are gone into; nullopt when the whole path is
// there, when the value to go into is not a mapping, or when the mapping's text is of a shape
// this does not edit safely (a flow mapping over several lines, a merged-in parent).
std::optional<Edit> add_to_mapping(const Document &document, const YAML::Node &key,
                                   const YAML::Node &map, const std::vector<std::string> &path,
                                   const std::string &value);

} // namespace leash::yaml
