#include "frontend/yaml/edit.h"

#include <fmt/format.h>

namespace leash::yaml {

namespace {

int indentation(std::string_view line) {
  const size_t first = line.find_first_not_of(' ');
  return first == std::string_view::npos ? -1 : static_cast<int>(first);
}

bool blank_or_comment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string_view::npos || line[first] == '#';
}

// The key `name` written in `map` itself (a merged-in key is someone else's text).
std::optional<Entry> own_entry(const YAML::Node &map, const std::string &name) {
  for (const auto &entry : map)
    if (entry.first.IsScalar() && entry.first.Scalar() == name)
      return Entry{entry.first, entry.second};
  return std::nullopt;
}

// "limits:\n  memory: 512Mi" for path {limits, memory}, each line indented by `indent`.
std::string block_lines(const std::vector<std::string> &path, const std::string &value, int indent,
                        std::string_view newline) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    out += std::string(indent + 2 * i, ' ') + path[i] + ":";
    out += i + 1 == path.size() ? " " + value : std::string();
    out += newline;
  }
  return out;
}

// "limits: {memory: 512Mi}" for path {limits, memory}.
std::string flow_text(const std::vector<std::string> &path, const std::string &value) {
  std::string out = value;
  for (size_t i = path.size(); i-- > 1;)
    out = "{" + path[i] + ": " + out + "}";
  return path[0] + ": " + out;
}

} // namespace

std::optional<Edit> add_to_mapping(const Document &document, const YAML::Node &key,
                                   const YAML::Node &map, const std::vector<std::string> &path,
                                   const std::string &value) {
  const SourceFile &source = document.source();
  const std::string_view newline = source.newline();
  YAML::Node parent_key;
  parent_key.reset(key);
  YAML::Node parent;
  parent.reset(map);
  size_t depth = 0;
  for (; depth < path.size(); ++depth) {
    if (!parent.IsMap())
      break;
    const auto entry = own_entry(parent, path[depth]);
    if (!entry)
      break;
    parent_key.reset(entry->key);
    parent.reset(entry->value);
  }
  if (depth == path.size())
    return std::nullopt;
  const std::vector<std::string> rest(path.begin() + static_cast<std::ptrdiff_t>(depth),
                                      path.end());
  const Position key_at = document.span(parent_key).start;

  // `key:` with nothing under it: the lines go below it, indented one step more.
  if (parent.IsNull()) {
    const std::string_view key_line = source.line(key_at.line - 1);
    if (key_line.find(':') == std::string_view::npos ||
        !blank_or_comment(key_line.substr(key_line.find(':') + 1)))
      return std::nullopt; // `key: ~`, `key: null`: a value is written there
    const Position end{key_at.line, count_characters(key_line) + 1};
    std::string lines = block_lines(rest, value, key_at.column + 1, newline);
    lines.resize(lines.size() - newline.size());
    return Edit{{end, end}, std::string(newline) + lines};
  }
  if (!parent.IsMap())
    return std::nullopt;
  const Span at = document.span(parent);
  const std::string_view line = source.line(at.start.line - 1);
  const size_t byte = source.offset_of(at.start) - source.line_offset(at.start.line - 1);
  if (byte < line.size() && line[byte] == '{') { // a flow mapping: one line, or left alone
    const size_t close = token_end(line, byte);
    if (close == 0 || line[close - 1] != '}')
      return std::nullopt;
    const bool empty =
        line.substr(byte + 1, close - byte - 2).find_first_not_of(" \t") == std::string_view::npos;
    const Position before_close = source.position(at.start.line - 1, static_cast<int>(close - 1));
    return Edit{{before_close, before_close}, (empty ? "" : ", ") + flow_text(rest, value)};
  }
  // A block mapping: its keys stand at one column; it ends before the first line written left
  // of them (blank lines and comments do not end it, nor belong to it).
  const int column = at.start.column - 1;
  if (line.substr(0, byte).find_first_not_of(" -") != std::string_view::npos)
    return std::nullopt;    // the first key after other text on its line: not edited
  int last = at.start.line; // 1-based, the mapping's last line of content
  for (int n = at.start.line + 1; n <= source.line_count(); ++n) {
    const std::string_view text = source.line(n - 1);
    if (blank_or_comment(text))
      continue;
    if (indentation(text) < column || text.starts_with("---") || text.starts_with("..."))
      break;
    last = n;
  }
  std::string lines = block_lines(rest, value, column, newline);
  if (last == source.line_count() && !source.text().ends_with('\n')) {
    const Position end{last, count_characters(source.line(last - 1)) + 1};
    lines.resize(lines.size() - newline.size());
    return Edit{{end, end}, std::string(newline) + lines};
  }
  const Position next{last + 1, 1};
  return Edit{{next, next}, lines};
}

} // namespace leash::yaml
