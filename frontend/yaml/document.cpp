#include "frontend/yaml/document.h"

#include "core/deadline.h"
#include "core/strings.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <unordered_set>

namespace leash::yaml {

namespace {

// Merge chains deeper than this, or lookups that visit more mappings than this (aliases can make a
// small file describe an exponentially large tree), are cut short: the key counts as absent.
constexpr int kMergeDepthLimit = 32;
constexpr int kMergeVisitLimit = 10000;

bool is_document_marker(std::string_view line) {
  return line.starts_with("---") &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// Whether the lines hold no content: only blanks, comments and directives (`%YAML`).
bool only_preamble(const SourceFile &source, int first, int last) {
  for (int i = first; i < last; ++i) {
    std::string_view line = source.line(i);
    const size_t start = line.find_first_not_of(" \t");
    if (start != std::string_view::npos && line[start] != '#' && line[start] != '%')
      return false;
  }
  return true;
}

// Counts a document's parse events and stops the parse past a budget proportional to its size.
// yaml-cpp 0.7 never finishes some documents, allocating nodes until memory runs out: those with a
// `,` where a block node belongs (`,x` at the top, or after a top-level sequence or flow node).
class EventBudget final : public YAML::EventHandler {
public:
  explicit EventBudget(size_t bytes) : left_(4 * bytes + 1000) {}
  struct Spent {};

  void OnDocumentStart(const YAML::Mark &) override { spend(); }
  void OnDocumentEnd() override { spend(); }
  void OnNull(const YAML::Mark &, YAML::anchor_t) override { spend(); }
  void OnAlias(const YAML::Mark &, YAML::anchor_t) override { spend(); }
  void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t,
                const std::string &) override {
    spend();
  }
  void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    spend();
  }
  void OnSequenceEnd() override { spend(); }
  void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    spend();
  }
  void OnMapEnd() override { spend(); }

private:
  void spend() {
    poll_deadline();
    if (left_-- == 0)
      throw Spent{};
  }
  size_t left_;
};

// The first line of `chunk` (0-based) that starts with `,` after its indentation, if any: only
// then can yaml-cpp fail to finish, and only then is the chunk parsed a first time to find out.
std::optional<int> comma_line(std::string_view chunk) {
  int line = 0;
  for (size_t at = 0; at < chunk.size(); ++line) {
    const size_t end = std::min(chunk.find('\n', at), chunk.size());
    const size_t first = chunk.find_first_not_of(" \t", at);
    if (first < end && chunk[first] == ',')
      return line;
    at = end + 1;
  }
  return std::nullopt;
}

// Whether yaml-cpp finishes parsing `chunk` within the event budget (a document it cannot parse
// at all finishes too: LoadAll then reports where).
bool parse_finishes(const std::string &chunk) {
  std::istringstream input(chunk);
  YAML::Parser parser(input);
  EventBudget budget(chunk.size());
  try {
    while (parser.HandleNextDocument(budget)) {
    }
  } catch (const EventBudget::Spent &) {
    return false;
  } catch (const YAML::Exception &) {
  }
  return true;
}

std::optional<Entry> find_impl(const YAML::Node &map, std::string_view key, int depth,
                               int &visits) {
  if (depth > kMergeDepthLimit || ++visits > kMergeVisitLimit || !map.IsMap())
    return std::nullopt;
  std::optional<YAML::Node> merge;
  // One dereference per entry: each builds the key and value nodes (shared pointers) afresh.
  for (const auto &entry : map) {
    if (!entry.first.IsScalar())
      continue;
    const std::string &name = entry.first.Scalar();
    if (name == key && key != "<<")
      return Entry{entry.first, entry.second};
    if (name == "<<" && !merge)
      merge = entry.second;
  }
  if (!merge)
    return std::nullopt;
  if (merge->IsMap())
    return find_impl(*merge, key, depth + 1, visits);
  if (merge->IsSequence())
    for (const auto &source : *merge)
      if (auto found = find_impl(source, key, depth + 1, visits))
        return found;
  return std::nullopt;
}

// `seen`: the keys already in `out` (a key of the mapping itself overrides a merged one; the first
// merged source wins over later ones). A set, so a mapping of 100,000 keys is not quadratic.
void entries_impl(const YAML::Node &map, std::vector<Entry> &out,
                  std::unordered_set<std::string> &seen, int depth, int &visits) {
  if (depth > kMergeDepthLimit || ++visits > kMergeVisitLimit || !map.IsMap())
    return;
  std::vector<YAML::Node> merges;
  for (const auto &entry : map) {
    if (!entry.first.IsScalar())
      continue;
    if (entry.first.Scalar() == "<<")
      merges.push_back(entry.second);
    else if (seen.insert(entry.first.Scalar()).second)
      out.push_back({entry.first, entry.second});
  }
  for (const YAML::Node &merge : merges) {
    if (merge.IsMap())
      entries_impl(merge, out, seen, depth + 1, visits);
    else if (merge.IsSequence())
      for (const auto &source : merge)
        entries_impl(source, out, seen, depth + 1, visits);
  }
}

} // namespace

Span Document::span(const YAML::Node &node) const {
  const YAML::Mark mark = node.Mark();
  const int line0 = line_offset_ + std::max(mark.line, 0);
  const int column = std::max(mark.column, 0);
  const std::string_view text = source_->line(line0);
  const size_t end = token_end(text, static_cast<size_t>(column));
  return {source_->position(line0, column), source_->position(line0, static_cast<int>(end))};
}

const LineOrigin *Document::origin_of(const YAML::Node &node) const {
  if (!origins_)
    return nullptr;
  const int line = line_offset_ + std::max(node.Mark().line, 0) + 1;
  for (const LineOrigin &origin : *origins_)
    if (origin.line == line)
      return &origin;
  return nullptr;
}

size_t token_end(std::string_view line, size_t start) {
  if (start >= line.size())
    return line.size();
  const char first = line[start];
  if (first == '"' || first == '\'') {
    for (size_t i = start + 1; i < line.size(); ++i) {
      if (first == '"' && line[i] == '\\') {
        ++i;
      } else if (line[i] == first) {
        if (first == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          ++i; // '' is an escaped quote
          continue;
        }
        return i + 1;
      }
    }
    return line.size();
  }
  if (first == '{' || first == '[') {
    const char close = first == '{' ? '}' : ']';
    int depth = 0;
    for (size_t i = start; i < line.size(); ++i) {
      if (line[i] == first)
        ++depth;
      else if (line[i] == close && --depth == 0)
        return i + 1;
    }
    return line.size();
  }
  if (first == '|' || first == '>')
    return start + 1;
  // A plain scalar ends at ": ", " #", or, inside a flow collection, at , ] }.
  const bool in_flow = line.substr(0, start).find_first_of("[{") != std::string_view::npos;
  size_t end = start;
  for (size_t i = start; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ':' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t'))
      break;
    if (c == '#' && i > start && (line[i - 1] == ' ' || line[i - 1] == '\t'))
      break;
    if (in_flow && (c == ',' || c == ']' || c == '}'))
      break;
    if (c != ' ' && c != '\t')
      end = i + 1;
  }
  return end;
}

std::optional<std::string_view> top_level_kind(std::string_view document) {
  std::optional<std::string_view> kind;
  for (size_t at = 0; at < document.size();) {
    const size_t end = std::min(document.find('\n', at), document.size());
    std::string_view line = document.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with("kind:"))
      continue;
    if (kind)
      return std::nullopt; // twice: let the parser decide
    line.remove_prefix(5);
    if (const size_t comment = line.find(" #"); comment != std::string_view::npos)
      line = line.substr(0, comment);
    const size_t first = line.find_first_not_of(" \t");
    const size_t last = line.find_last_not_of(" \t\r");
    if (first == std::string_view::npos)
      return std::nullopt; // `kind:` with its value below it
    line = line.substr(first, last - first + 1);
    if (line.size() >= 2 && (line.front() == '"' || line.front() == '\'') &&
        line.back() == line.front())
      line = line.substr(1, line.size() - 2);
    kind = line;
  }
  return kind;
}

namespace {

// The offset just past the quote that closes a quoted scalar opened before `from` with `quote`
// (`''` and `\"` do not close it), or npos when it runs on past the line.
size_t past_closing_quote(std::string_view line, size_t from, char quote) {
  for (size_t i = from; i < line.size(); ++i) {
    if (quote == '"' && line[i] == '\\') {
      ++i; // the escaped character
    } else if (line[i] == quote) {
      if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
        ++i; // '' is a quote inside the scalar
        continue;
      }
      return i + 1;
    }
  }
  return std::string_view::npos;
}

} // namespace

int first_template_line(std::string_view text) {
  int number = 0;
  int block_indent = -1; // a block scalar's parent column: the deeper lines are its text
  char open_quote = 0;   // a quoted scalar that runs on from an earlier line
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    const size_t indent = std::min(line.find_first_not_of(" \t"), line.size());
    if (block_indent >= 0) {
      if (indent == line.size() || static_cast<int>(indent) > block_indent)
        continue;
      block_indent = -1;
    }
    size_t i = indent;
    bool at_value = true; // where a node may start: the line's start, after `- `, `: `, `[`, ...
    if (open_quote) {
      i = past_closing_quote(line, 0, open_quote);
      if (i == std::string_view::npos)
        continue;
      open_quote = 0;
      at_value = false;
    }
    size_t node_column = indent; // the key or entry a block scalar here would belong to
    size_t token = i;            // where the current scalar starts
    int flow = 0;                // open `[` and `{`
    while (i < line.size()) {
      const char c = line[i];
      const char next = i + 1 < line.size() ? line[i + 1] : ' ';
      const bool spaced = next == ' ' || next == '\t';
      if (c == ' ' || c == '\t') {
        ++i;
        continue;
      }
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
        break; // a comment
      if (at_value) {
        if (c == '-' && spaced) { // a sequence entry
          node_column = i;
          ++i;
          continue;
        }
        if (c == '?' && spaced) {
          ++i;
          continue;
        }
        if (c == '&' || c == '!') { // an anchor or a tag before the node
          i = std::min(line.find_first_of(" \t", i), line.size());
          continue;
        }
        if (c == '{' && next == '{')
          return number; // a template action where a node starts
        if (c == '[' || c == '{') {
          ++flow;
          ++i;
          continue;
        }
        if (c == '|' || c == '>') { // a block scalar, if only indicators and a comment follow
          const size_t after = line.find_first_not_of("-+0123456789", i + 1);
          if (after == std::string_view::npos || line[after] == ' ' || line[after] == '\t')
            block_indent = static_cast<int>(node_column);
          break;
        }
        at_value = false;
        token = i;
        if (c == '"' || c == '\'') {
          i = past_closing_quote(line, i + 1, c);
          if (i == std::string_view::npos) {
            open_quote = c;
            break;
          }
          continue;
        }
      }
      if (c == ':' &&
          (spaced || (flow > 0 && std::string_view(",]}").find(next) != std::string_view::npos))) {
        node_column = token; // the scalar before was a key: its value comes next
        at_value = true;
      } else if (flow > 0 && (c == ',' || c == '[' || c == '{')) {
        flow += c == ',' ? 0 : 1;
        at_value = true;
      } else if (flow > 0 && (c == ']' || c == '}')) {
        --flow;
      }
      ++i;
    }
  }
  return 0;
}

ParsedFile parse_documents(const SourceFile &source, bool (*skip_kind)(std::string_view kind),
                           const std::vector<int> *unrendered) {
  ParsedFile parsed;
  std::vector<int> starts = {0};
  for (int i = 1; i < source.line_count(); ++i)
    if (is_document_marker(source.line(i)))
      starts.push_back(i);
  starts.push_back(source.line_count());
  const std::string_view text = source.text();
  int begin = 0;
  for (size_t s = 1; s < starts.size(); ++s) {
    const int end = starts[s];
    if (s + 1 < starts.size() && only_preamble(source, begin, end))
      continue;       // directives and comments belong with the document that follows
    check_deadline(); // the file's time budget, between documents
    const size_t from = source.line_offset(begin);
    const std::string_view raw = text.substr(from, source.line_offset(end) - from);
    if (skip_kind)
      if (const auto kind = top_level_kind(raw); kind && skip_kind(*kind)) {
        ++parsed.skipped;
        begin = end;
        continue;
      }
    if (const int line = first_template_line(raw)) {
      parsed.templates.push_back(begin + line);
      begin = end;
      continue;
    }
    if (unrendered) {
      const auto first = std::lower_bound(unrendered->begin(), unrendered->end(), begin + 1);
      if (first != unrendered->end() && *first <= end) {
        parsed.templates.push_back(*first);
        begin = end;
        continue;
      }
    }
    const std::string chunk(raw);
    if (const auto comma = comma_line(chunk); comma && !parse_finishes(chunk)) {
      const std::string_view line = source.line(begin + *comma);
      const Position at = source.position(begin + *comma, static_cast<int>(line.find(',')));
      parsed.errors.push_back({at.line, at.column,
                               "not valid YAML: a `,` where a block node belongs (outside `[...]` "
                               "or `{...}`)"});
      begin = end;
      continue;
    }
    try {
      for (YAML::Node &node : YAML::LoadAll(chunk))
        if (node && !node.IsNull())
          parsed.documents.emplace_back(source, std::move(node), begin);
    } catch (const YAML::Exception &e) {
      const int line0 = begin + std::max(e.mark.line, 0);
      const Position at = source.position(line0, std::max(e.mark.column, 0));
      parsed.errors.push_back({at.line, at.column, fmt::format("not valid YAML: {}", e.msg)});
    }
    begin = end;
  }
  return parsed;
}

std::optional<Entry> find(const YAML::Node &map, std::string_view key) {
  int visits = 0;
  return find_impl(map, key, 0, visits);
}

std::optional<Entry> find_path(const YAML::Node &map, const std::vector<std::string> &path) {
  std::optional<Entry> entry;
  YAML::Node node = map;
  for (const std::string &key : path) {
    entry = find(node, key);
    if (!entry)
      return std::nullopt;
    node.reset(entry->value); // rebind, never assign: see Entry
  }
  return entry;
}

std::vector<Entry> entries(const YAML::Node &map) {
  std::vector<Entry> out;
  std::unordered_set<std::string> seen;
  int visits = 0;
  entries_impl(map, out, seen, 0, visits);
  return out;
}

std::optional<std::string> scalar(const YAML::Node &node) {
  if (!node.IsScalar())
    return std::nullopt;
  return node.Scalar();
}

std::vector<std::string> split_path(std::string_view dotted) {
  std::vector<std::string> parts;
  while (true) {
    const size_t dot = dotted.find('.');
    parts.emplace_back(dotted.substr(0, dot));
    if (dot == std::string_view::npos)
      return parts;
    dotted.remove_prefix(dot + 1);
  }
}

} // namespace leash::yaml
