// Exclude patterns, gitignore-like: `*` and `?` stay within a path component, `**` spans any
// number of them, `[abc]` is a class. A pattern without `/` matches any component (`vendor`,
// `*.gen.yaml`); one with `/` is anchored at the config file's folder (`charts/*/templates`).
// A pattern that matches a folder excludes everything below it.
#pragma once

#include <string_view>

namespace leash {

bool glob_match(std::string_view pattern, std::string_view text);

// Whether `relative_path` ('/'-separated, relative to the config's folder) is excluded by
// `pattern`.
bool path_excluded(std::string_view pattern, std::string_view relative_path);

} // namespace leash
