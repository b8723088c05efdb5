#include "frontend/yaml/helm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <system_error>

namespace leash::yaml {

namespace fs = std::filesystem;

namespace {

constexpr int kControlDepthLimit = 64;

// A template action: `{{` to `}}` in the text, its body without the braces, the trim markers
// (`{{-`, `-}}`) and the spaces around.
struct Action {
  size_t begin = 0, end = 0; // [begin, end) in the text
  std::string_view body;
};

// The end of the action opening at `at` (just past its `}}`), skipping string literals and
// comments, or npos when it never closes.
size_t action_end(std::string_view text, size_t at) {
  for (size_t i = at + 2; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        i += text[i] == '\\';
    } else if (c == '`') {
      i = text.find('`', i + 1);
    } else if (c == '/' && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i != std::string_view::npos)
        ++i;
    } else if (c == '}' && text[i + 1] == '}') {
      return i + 2;
    }
    if (i == std::string_view::npos || i >= text.size())
      return std::string_view::npos;
  }
  return std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string_view body_of(std::string_view action) {
  std::string_view body = action.substr(2, action.size() - 4);
  if (body.starts_with('-'))
    body.remove_prefix(1);
  if (body.ends_with('-'))
    body.remove_suffix(1);
  return trim(body);
}

// The values files' nodes at one path, merged as Helm merges them: maps key by key, anything
// else from the last file that sets it (a null there deletes the key).
YAML::Node merge_layers(const std::vector<YAML::Node> &layers, int depth = 0) {
  if (layers.empty())
    return YAML::Node();
  size_t first = layers.size() - 1; // the run of mappings at the end is what merges
  while (first > 0 && layers.back().IsMap() && layers[first - 1].IsMap())
    --first;
  if (first == layers.size() - 1 || depth > 64)
    return layers.back();
  YAML::Node out(YAML::NodeType::Map);
  std::vector<std::string> keys;
  for (size_t i = first; i < layers.size(); ++i)
    for (const Entry &entry : entries(layers[i]))
      if (entry.key.IsScalar() &&
          std::find(keys.begin(), keys.end(), entry.key.Scalar()) == keys.end())
        keys.push_back(entry.key.Scalar());
  for (const std::string &key : keys) {
    std::vector<YAML::Node> children;
    for (size_t i = first; i < layers.size(); ++i)
      if (const auto entry = find(layers[i], key)) {
        if (entry->value.IsNull())
          children.clear();
        else
          children.push_back(entry->value);
      }
    if (!children.empty())
      out.force_insert(key, merge_layers(children, depth + 1));
  }
  return out;
}

// A value while rendering: a path of the values (its node in each values file that sets it,
// merged), the root context (`$`), or unknown.
struct Value {
  enum class Kind { Node, Root, Unknown } kind = Kind::Unknown;
  YAML::Node node;                       // merged
  std::vector<YAML::Node> layers;        // per values file that sets it, in merge order
  std::vector<const Document *> sources; // the file of each layer
  std::string path;                      // the values path ("resources"), when it is one
  std::optional<Entry> entry;            // where the last file that sets it does
  const Document *document = nullptr;    // that file

  Value() = default;
  // A value of the template's own (a string literal).
  explicit Value(YAML::Node literal) : kind(Kind::Node) {
    node.reset(literal);
    layers.push_back(literal);
    sources.push_back(nullptr);
  }
  Value(const Value &other)
      : kind(other.kind), node(other.node), layers(other.layers), sources(other.sources),
        path(other.path), entry(other.entry), document(other.document) {}
  // Rebinds the nodes: YAML::Node's own assignment would write into the values (see Entry).
  Value &operator=(const Value &other) {
    if (this == &other)
      return *this;
    kind = other.kind;
    node.reset(other.node);
    layers.clear();
    for (const YAML::Node &layer : other.layers)
      layers.push_back(layer);
    sources = other.sources;
    path = other.path;
    entry = other.entry;
    document = other.document;
    return *this;
  }
};

Value unknown() { return {}; }

Value boolean(bool value) { return Value(YAML::Node(value ? "true" : "false")); }

bool truthy(const YAML::Node &node) {
  if (!node || node.IsNull())
    return false;
  if (node.IsMap() || node.IsSequence())
    return node.size() > 0;
  const std::string &text = node.Scalar();
  return !(text.empty() || text == "false" || text == "0");
}

// The words of a command: quoted strings and parenthesized groups kept whole.
std::vector<std::string_view> words(std::string_view command) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < command.size()) {
    if (command[i] == ' ' || command[i] == '\t' || command[i] == '\n' || command[i] == '\r') {
      ++i;
      continue;
    }
    const size_t start = i;
    if (command[i] == '"') {
      for (++i; i < command.size() && command[i] != '"'; ++i)
        i += command[i] == '\\';
      ++i;
    } else if (command[i] == '(') {
      int depth = 0;
      for (; i < command.size(); ++i) {
        depth += command[i] == '(' ? 1 : command[i] == ')' ? -1 : 0;
        if (depth == 0) {
          ++i;
          break;
        }
      }
    } else {
      while (i < command.size() &&
             std::string_view(" \t\n\r").find(command[i]) == std::string_view::npos)
        ++i;
    }
    out.push_back(command.substr(start, std::min(i, command.size()) - start));
  }
  return out;
}

// The commands of a pipeline (`a | b | c`), split outside strings and parentheses.
std::vector<std::string_view> commands(std::string_view pipeline) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < pipeline.size(); ++i) {
    const char c = pipeline[i];
    if (c == '"') {
      for (++i; i < pipeline.size() && pipeline[i] != '"'; ++i)
        i += pipeline[i] == '\\';
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(trim(pipeline.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(pipeline.substr(start)));
  return out;
}

// Text a YAML plain scalar can hold as it is, in a value or a key.
bool plain_safe(std::string_view text) {
  if (text.empty() ||
      std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos)
    return false;
  return text.find(": ") == std::string_view::npos && text.find(" #") == std::string_view::npos &&
         !text.ends_with(':') && !text.ends_with(' ') && text.find('\n') == std::string_view::npos;
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + '"';
}

size_t indentation(std::string_view line) {
  return std::min(line.find_first_not_of(" \t"), line.size());
}

// Whether the line is a key whose value is on the lines below (`resources:`).
bool opens_value(std::string_view line) {
  std::string_view text = trim(line);
  if (const size_t comment = text.find(" #"); comment != std::string_view::npos)
    text = trim(text.substr(0, comment));
  return text.ends_with(':');
}

enum class Control { None, Open, Middle, Close, Silent };

// What an action does to the blocks: opens one (`if`, `with`, `range`, `define`, `block`), goes
// on to its next branch (`else`), closes it (`end`), outputs nothing (a comment, a variable), or
// none of these (it outputs a value).
Control control_kind(std::string_view body) {
  // A keyword ends where an identifier would not go on (Go reads `with.Values.x` as `with`).
  const auto keyword = [&](std::string_view word) {
    return body.starts_with(word) &&
           (body.size() == word.size() ||
            !(std::isalnum(static_cast<unsigned char>(body[word.size()])) != 0 ||
              body[word.size()] == '_'));
  };
  if (keyword("if") || keyword("with") || keyword("range") || keyword("define") || keyword("block"))
    return Control::Open;
  if (keyword("else"))
    return Control::Middle;
  if (keyword("end"))
    return Control::Close;
  if (body.starts_with("/*") || keyword("break") || keyword("continue"))
    return Control::Silent;
  if (body.starts_with('$')) { // `$x := ...` or `$x = ...`, not `$x` or `$x.y`
    const size_t set = body.find('=');
    if (set != std::string_view::npos && body.find_first_of(" \t:") < set)
      return Control::Silent;
  }
  return Control::None;
}

class Renderer {
public:
  Renderer(std::string_view text, std::vector<const Document *> values)
      : text_(text), values_(std::move(values)) {}

  RenderedTemplate render();

private:
  struct Block {
    bool active; // this branch is rendered
    bool taken;  // some branch so far was (an `else` then is not)
    bool outer;  // the block around it is rendered
    Value dot;
    // A `with` on a values key that is empty (`resources: {}`): its first `key:` line renders as
    // `key: {}` from there, so that a check finds the gap and where the values leave it.
    bool empty_with = false;
  };

  bool active() const { return blocks_.empty() || blocks_.back().active; }
  const Value &dot() const { return blocks_.empty() ? root_ : blocks_.back().dot; }

  Value lookup(const Value &from, std::string_view path) const;
  Value argument(std::string_view word) const;
  Value evaluate(std::string_view pipeline, int &indent, bool &quote) const;
  std::optional<bool> condition(std::string_view expression) const;
  bool control(std::string_view body);
  std::string flow(const YAML::Node &node, int depth = 0) const;
  // In a `with` left out for an empty values key, its first `key:` line (`line`, actions taken
  // out) as `key: {}`, from that values key (see Block::empty_with).
  void render_empty_with(std::string_view line, size_t index, std::vector<std::string> &rendered,
                         RenderedTemplate &out);

  std::string_view text_;
  std::vector<const Document *> values_; // in merge order
  Value root_ = [] {
    Value root;
    root.kind = Value::Kind::Root;
    return root;
  }();
  std::vector<Block> blocks_;
  std::map<std::string, Value> variables_; // `$x := ...`
};

Value Renderer::lookup(const Value &from, std::string_view path) const {
  Value at = from;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (key.empty())
      continue;
    if (at.kind == Value::Kind::Root) {
      if (key != "Values")
        return unknown(); // .Release, .Chart, .Capabilities, .Files: not values
      Value values;
      values.kind = Value::Kind::Node;
      for (const Document *document : values_) {
        values.layers.push_back(document->root());
        values.sources.push_back(document);
      }
      values.node.reset(merge_layers(values.layers));
      at = values;
      continue;
    }
    if (at.kind != Value::Kind::Node)
      return unknown();
    if (at.node && !at.node.IsNull() && !at.node.IsMap())
      return unknown(); // a key of a scalar or a list
    Value child;
    child.kind = Value::Kind::Node;
    child.path = at.path.empty() ? std::string(key) : at.path + "." + std::string(key);
    for (size_t i = 0; i < at.layers.size(); ++i) {
      const YAML::Node &layer = at.layers[i];
      const auto entry = layer.IsMap() ? find(layer, key) : std::nullopt;
      if (!layer.IsMap() || (entry && entry->value.IsNull())) {
        child.layers.clear(); // replaced by what was not a map, or deleted by a null
        child.sources.clear();
        child.entry.reset();
        child.document = nullptr;
        continue;
      }
      if (!entry)
        continue;
      child.layers.push_back(entry->value);
      child.sources.push_back(at.sources[i]);
      child.entry = entry;
      child.document = at.sources[i];
    }
    child.node.reset(merge_layers(child.layers));
    at = child;
  }
  return at;
}

Value Renderer::argument(std::string_view word) const {
  if (word == ".")
    return dot();
  if (word == "$")
    return root_;
  if (word.starts_with("$."))
    return lookup(root_, word.substr(2));
  if (word.starts_with('.'))
    return lookup(dot(), word.substr(1));
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"')
    return Value(YAML::Node(std::string(word.substr(1, word.size() - 2))));
  if (!word.empty() && (std::isdigit(static_cast<unsigned char>(word.front())) != 0))
    return Value(YAML::Node(std::string(word)));
  if (word.size() >= 2 && word.front() == '(' && word.back() == ')') {
    int indent = -1;
    bool quote = false;
    return evaluate(word.substr(1, word.size() - 2), indent, quote);
  }
  if (word.starts_with('$')) { // a variable, and a path in it
    const size_t dot = word.find('.');
    const auto it = variables_.find(std::string(word.substr(0, dot)));
    if (it == variables_.end())
      return unknown();
    return dot == std::string_view::npos ? it->second : lookup(it->second, word.substr(dot + 1));
  }
  return unknown(); // a function
}

// A pipeline's value; `indent` is set by `nindent N` / `indent N`, `quote` by `quote`.
Value Renderer::evaluate(std::string_view pipeline, int &indent, bool &quote) const {
  Value value = unknown();
  bool first = true;
  bool lost = false; // a command leash does not model: the value is unknown, its layout is not
  for (const std::string_view command : commands(pipeline)) {
    const std::vector<std::string_view> w = words(command);
    const std::string_view name = w.empty() ? std::string_view() : w[0];
    // A piped command takes the value so far as its last argument.
    const auto last = [&](size_t index) { return index < w.size() ? argument(w[index]) : value; };
    if ((name == "nindent" || name == "indent") && w.size() == 2 && !first) {
      int n = -1;
      if (std::from_chars(w[1].data(), w[1].data() + w[1].size(), n).ec == std::errc() && n >= 0)
        indent = n;
      else
        lost = true;
    } else if (name == "quote" || name == "squote") {
      value = last(1);
      quote = true;
    } else if (lost) {
      // Nothing more to know of the value.
    } else if (first && w.size() == 1 &&
               (name.starts_with('.') || name.starts_with('$') || name.starts_with('"') ||
                name.starts_with('('))) {
      value = argument(name);
    } else if (name == "toYaml" || name == "toString" || name == "trim") {
      value = last(1);
    } else if ((name == "and" || name == "or") && w.size() >= 3 && first) {
      // Go's and/or: the first argument that decides (falsy for and, truthy for or), else the
      // last; unknown when an undecided one comes first.
      const bool is_and = name == "and";
      for (size_t i = 1; i < w.size(); ++i) {
        value = argument(w[i]);
        if (value.kind != Value::Kind::Node) {
          lost = true;
          break;
        }
        if (truthy(value.node) != is_and)
          break;
      }
    } else if ((name == "not" || name == "empty") && (w.size() == 2 || !first)) {
      const Value operand = last(1); // the same for a value: whether it is falsy
      if (operand.kind != Value::Kind::Node)
        lost = true;
      else
        value = boolean(!truthy(operand.node));
    } else if ((name == "eq" || name == "ne") && w.size() >= 3 && first) {
      const Value a = argument(w[1]), b = argument(w[2]);
      if (a.kind != Value::Kind::Node || b.kind != Value::Kind::Node ||
          !(a.node.IsScalar() || a.node.IsNull()) || !(b.node.IsScalar() || b.node.IsNull()) ||
          w.size() > 3)
        lost = true;
      else
        value =
            boolean((scalar(a.node).value_or("") == scalar(b.node).value_or("")) == (name == "eq"));
    } else if (name == "default" && w.size() >= 2) {
      const Value fallback = argument(w[1]);
      const Value given = last(2);
      if (given.kind == Value::Kind::Unknown)
        lost = true;
      else
        value = given.kind == Value::Kind::Node && truthy(given.node) ? given : fallback;
    } else {
      lost = true; // include, tpl, template, required, printf ...
    }
    first = false;
  }
  return lost ? unknown() : value;
}

// `if` and `with` conditions: a value's truthiness, `not` of one; else unknown.
std::optional<bool> Renderer::condition(std::string_view expression) const {
  int indent = -1;
  bool quote = false;
  const Value value = evaluate(expression, indent, quote);
  if (value.kind != Value::Kind::Node)
    return std::nullopt;
  return truthy(value.node);
}

bool Renderer::control(std::string_view body) {
  const Control kind = control_kind(body);
  if (kind == Control::None)
    return false;
  if (kind == Control::Silent) { // a comment, break, continue, or a variable set
    if (const size_t set = body.find('='); body.starts_with('$') && set != std::string_view::npos) {
      const std::string name(trim(body.substr(0, set > 0 && body[set - 1] == ':' ? set - 1 : set)));
      int indent = -1;
      bool quote = false;
      // Inside a block not rendered, or a range (once per item), its value is not one value.
      const bool in_range = std::any_of(blocks_.begin(), blocks_.end(), [](const Block &block) {
        return block.dot.kind == Value::Kind::Unknown;
      });
      variables_[name] =
          active() && !in_range ? evaluate(trim(body.substr(set + 1)), indent, quote) : unknown();
    }
    return true;
  }
  size_t word_end = 0;
  while (word_end < body.size() && std::isalpha(static_cast<unsigned char>(body[word_end])) != 0)
    ++word_end;
  const std::string_view word = body.substr(0, word_end);
  const std::string_view rest = trim(body.substr(word_end));
  if (kind == Control::Open) {
    if (blocks_.size() >= kControlDepthLimit)
      throw std::runtime_error("too deep");
    const bool outer = active();
    Block block{outer, true, outer, dot()};
    if (word == "if") {
      // An unknown condition renders its first branch only.
      block.active = outer && condition(rest).value_or(true);
    } else if (word == "with") {
      int indent = -1;
      bool quote = false;
      const Value value = evaluate(rest, indent, quote);
      block.dot = value;
      block.active = outer && (value.kind != Value::Kind::Node || truthy(value.node));
      block.empty_with = outer && !block.active && value.entry && value.document;
    } else if (word == "range") {
      block.dot = unknown();
    } else { // define, block: named templates, output where included
      block.active = false;
    }
    block.taken = block.active || !outer;
    blocks_.push_back(std::move(block));
    return true;
  }
  if (blocks_.empty())
    throw std::runtime_error("`else` or `end` outside a block");
  if (kind == Control::Close) {
    blocks_.pop_back();
    return true;
  }
  Block &block = blocks_.back(); // else, else if, else with
  std::string_view tail = rest;
  bool branch = !block.taken && block.outer;
  block.empty_with = false;
  if (branch && (tail.starts_with("if ") || tail.starts_with("with "))) {
    const bool with = tail.starts_with("with ");
    tail = trim(tail.substr(with ? 4 : 2));
    if (with) {
      int indent = -1;
      bool quote = false;
      const Value value = evaluate(tail, indent, quote);
      block.dot = value;
      branch = value.kind != Value::Kind::Node || truthy(value.node);
    } else {
      branch = condition(tail).value_or(true);
    }
  } else if (tail.empty()) { // the `else` of a `with` runs with the dot around it
    block.dot = blocks_.size() >= 2 ? blocks_[blocks_.size() - 2].dot : root_;
  }
  block.active = branch;
  block.taken |= branch;
  return true;
}

void Renderer::render_empty_with(std::string_view line, size_t index,
                                 std::vector<std::string> &rendered, RenderedTemplate &out) {
  if (blocks_.empty() || !blocks_.back().empty_with || !opens_value(line))
    return;
  Block &block = blocks_.back();
  block.empty_with = false;
  line = line.substr(0, line.rfind(':') + 1);
  rendered[index] = std::string(line) + " " + flow(block.dot.node);
  out.origins.push_back({static_cast<int>(index) + 1, block.dot.document->source().path(),
                         block.dot.document->span(block.dot.entry->key), block.dot.path});
}

std::string Renderer::flow(const YAML::Node &node, int depth) const {
  if (depth > 64)
    return std::string(kUnknownValue);
  if (!node || node.IsNull())
    return "null";
  if (node.IsScalar())
    return double_quoted(node.Scalar());
  std::string out;
  if (node.IsSequence()) {
    out = "[";
    for (const auto &item : node)
      out += (out.size() > 1 ? ", " : "") + flow(item, depth + 1);
    return out + "]";
  }
  out = "{";
  for (const Entry &entry : entries(node))
    out += (out.size() > 1 ? ", " : "") + double_quoted(entry.key.Scalar()) + ": " +
           flow(entry.value, depth + 1);
  return out + "}";
}

RenderedTemplate Renderer::render() {
  RenderedTemplate out;
  // The actions, in order.
  std::vector<Action> actions;
  for (size_t at = text_.find("{{"); at != std::string_view::npos;) {
    const size_t end = action_end(text_, at);
    if (end == std::string_view::npos)
      break; // never closed: the YAML parser says where
    actions.push_back({at, end, body_of(text_.substr(at, end - at))});
    at = text_.find("{{", end);
  }
  // The lines, each with the actions that start on it.
  std::vector<std::string_view> lines;
  std::vector<size_t> starts;
  for (size_t start = 0; start <= text_.size();) {
    const size_t end = std::min(text_.find('\n', start), text_.size());
    lines.push_back(text_.substr(start, end - start));
    starts.push_back(start);
    if (end == text_.size())
      break;
    start = end + 1;
  }
  std::vector<std::string> rendered(lines.size());
  size_t next_action = 0;
  size_t covered_until = 0; // a multi-line action's end: the lines it spans render blank
  for (size_t l = 0; l < lines.size(); ++l) {
    const size_t line_start = starts[l];
    const size_t line_end = line_start + lines[l].size();
    if (line_start < covered_until)
      continue;
    std::vector<const Action *> here;
    while (next_action < actions.size() && actions[next_action].begin < line_end)
      here.push_back(&actions[next_action++]);
    if (here.empty()) {
      if (active()) {
        rendered[l] = std::string(lines[l]);
      } else {
        render_empty_with(lines[l], l, rendered, out);
      }
      continue;
    }
    // The line's text outside its actions.
    std::string outside;
    size_t at = line_start;
    for (const Action *action : here) {
      outside.append(text_.substr(at, action->begin - at));
      at = std::min(action->end, line_end);
    }
    if (at < line_end)
      outside.append(text_.substr(at, line_end - at));
    const bool action_only = trim(outside).empty();
    // `resources: {{- toYaml . | nindent 12 }}` in a `with` left out: as for `resources:` alone.
    if (!active() && !action_only &&
        std::none_of(here.begin(), here.end(), [](const Action *action) {
          return control_kind(action->body) != Control::None;
        })) {
      render_empty_with(outside, l, rendered, out);
      continue;
    }
    const bool spans = here.back()->end > line_end;
    size_t last_line = l;
    if (spans) {
      covered_until = here.back()->end;
      last_line = static_cast<size_t>(
          std::upper_bound(starts.begin(), starts.end(), covered_until - 1) - starts.begin() - 1);
    }
    // What leash does not render is left as written: the YAML reader then takes its document for
    // a template (a note), unless no check reads the document's kind.
    const auto keep_as_written = [&] {
      out.unrendered_lines.push_back(static_cast<int>(l) + 1);
      for (size_t k = l; k <= last_line && k < lines.size(); ++k)
        rendered[k] = std::string(lines[k]);
    };
    if (!action_only) {
      int depth = 0;
      bool has_control = false;
      for (const Action *action : here) {
        const Control kind = control_kind(action->body);
        has_control |= kind != Control::None;
        depth += kind == Control::Open ? 1 : kind == Control::Close ? -1 : 0;
      }
      if (has_control && depth == 0 && !spans) {
        // `x: {{ if .Values.a }}1{{ else }}2{{ end }}`: a value leash does not know.
        if (active()) {
          std::string line;
          size_t from = line_start;
          for (const Action *action : here) {
            line.append(text_.substr(from, action->begin - from));
            line.append(kUnknownValue);
            from = action->end;
          }
          line.append(text_.substr(from, line_end - from));
          rendered[l] = std::move(line);
        }
        continue;
      }
      if (has_control || spans) {
        const bool was_active = active();
        for (const Action *action : here)
          control(action->body); // the blocks it opens and closes stay right
        if (was_active || active())
          keep_as_written();
        continue;
      }
    }
    std::vector<const Action *> outputs;
    for (const Action *action : here)
      if (!control(action->body) && active())
        outputs.push_back(action);
    if (outputs.empty())
      continue;
    if (action_only) {
      if (outputs.size() > 1 || outputs.front()->end > line_end) {
        keep_as_written();
        continue;
      }
      // A block of YAML on a line of its own: the value of the key above (`resources:` then
      // `{{- toYaml .Values.resources | nindent 12 }}`), or entries beside the lines around.
      int indent = -1;
      bool quote = false;
      const Value value = evaluate(outputs.front()->body, indent, quote);
      const size_t column =
          indent >= 0 ? static_cast<size_t>(indent) : outputs.front()->begin - line_start;
      std::string prefix(column, ' ');
      size_t previous = l;
      while (previous > 0 && trim(rendered[previous - 1]).empty())
        --previous;
      // Not when the YAML after it (past other actions) goes on at its column: then it gives
      // entries beside that YAML.
      size_t next = l + 1;
      while (next < lines.size() &&
             (trim(lines[next]).empty() || trim(lines[next]).starts_with("{{")))
        ++next;
      const bool siblings_follow = next < lines.size() && indentation(lines[next]) == column;
      const bool is_value = previous > 0 && opens_value(rendered[previous - 1]) &&
                            indentation(rendered[previous - 1]) < column && !siblings_follow;
      if (value.kind == Value::Kind::Node && is_value) {
        rendered[l] = prefix + flow(value.node);
        if (value.entry && value.document)
          out.origins.push_back({static_cast<int>(l) + 1, value.document->source().path(),
                                 value.document->span(value.entry->key), value.path});
      } else if (value.kind == Value::Kind::Node &&
                 (!value.node || value.node.IsNull() ||
                  (!value.node.IsScalar() && value.node.size() == 0))) {
        // Nothing to add.
      } else if (value.kind == Value::Kind::Node && value.node.IsMap() && value.node.size() == 1 &&
                 !is_value) {
        const Entry entry = entries(value.node).front();
        rendered[l] = prefix + double_quoted(entry.key.Scalar()) + ": " + flow(entry.value);
      } else {
        // Unknown: a key that says so (the value of the key above, or entries beside the lines
        // around, become a mapping that holds it), or an item when the lines beside are items.
        // The nearest line above at this column, past deeper ones (an item's own keys).
        bool items = next < lines.size() && indentation(lines[next]) == column &&
                     trim(lines[next]).starts_with("- ");
        for (size_t k = l; !items && k > 0; --k) {
          const std::string &above = rendered[k - 1];
          if (trim(above).empty() || indentation(above) > column)
            continue;
          items = indentation(above) == column && trim(above).starts_with("- ");
          break;
        }
        rendered[l] = items ? prefix + "- " + double_quoted(kUnknownValue)
                            : prefix + fmt::format("{}{}: ", kUnrenderedKey, l + 1) +
                                  double_quoted(kUnknownValue);
      }
      continue;
    }
    // Values amid YAML text: `memory: {{ .Values.memory }}`, `image: "{{ .Values.repo }}:..."`.
    std::string line;
    at = line_start;
    for (const Action *action : here) {
      line.append(text_.substr(at, action->begin - at));
      at = std::min(action->end, line_end);
      if (std::find(outputs.begin(), outputs.end(), action) == outputs.end())
        continue;
      int indent = -1;
      bool quote = false;
      const Value value = evaluate(action->body, indent, quote);
      // Inside a quoted scalar when the value so far starts with a quote.
      const size_t value_start = [&] {
        const size_t colon = line.rfind(": ");
        const size_t from = colon == std::string::npos ? indentation(line) : colon + 2;
        const size_t first = line.find_first_not_of(" \t", from);
        return first == std::string::npos ? line.size() : first;
      }();
      const bool in_quotes =
          value_start < line.size() && (line[value_start] == '"' || line[value_start] == '\'');
      const bool whole_value =
          value_start == line.size() && trim(text_.substr(at, line_end - at)).empty();
      std::string text;
      if (value.kind == Value::Kind::Node && value.node.IsScalar()) {
        text = value.node.Scalar();
        if (whole_value && value.entry && value.document) // `memory: {{ .Values.memory }}`
          out.origins.push_back({static_cast<int>(l) + 1, value.document->source().path(),
                                 value.document->span(value.entry->key), value.path});
        if (in_quotes)
          text = double_quoted(text).substr(1, double_quoted(text).size() - 2); // escaped
        else if (quote || (!plain_safe(text) && whole_value))
          text = double_quoted(text);
        else if (!plain_safe(text))
          text = std::string(kUnknownValue);
      } else if (value.kind == Value::Kind::Node && whole_value && !in_quotes) {
        text = flow(value.node); // `resources: {{ toYaml .Values.resources | nindent 4 }}`
        if (value.entry && value.document)
          out.origins.push_back({static_cast<int>(l) + 1, value.document->source().path(),
                                 value.document->span(value.entry->key), value.path});
      } else {
        text =
            in_quotes || !whole_value ? std::string(kUnknownValue) : double_quoted(kUnknownValue);
      }
      line += text;
    }
    if (at < line_end)
      line.append(text_.substr(at, line_end - at));
    rendered[l] = std::move(line);
  }
  for (size_t l = 0; l < rendered.size(); ++l) {
    out.text += rendered[l];
    if (l + 1 < rendered.size())
      out.text += '\n';
  }
  return out;
}

} // namespace

std::optional<fs::path> chart_of(const fs::path &path) {
  // The folders above the file, nearest first, by their names in the path's text: this runs for
  // every YAML file of every run, warm ones included, where taking `parent_path()` at each level
  // cost more than looking the file up in the cache. Only a folder named `templates` is looked
  // at on disk.
  std::error_code error;
  const std::string_view text = path.native();
  size_t end = text.rfind('/'); // the folder is text[0, end)
  for (int depth = 0; depth < 32 && end != std::string_view::npos && end > 0; ++depth) {
    const size_t slash = text.rfind('/', end - 1);
    const size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
    if (text.substr(begin, end - begin) == "templates") {
      const fs::path chart(slash == std::string_view::npos ? std::string_view()
                           : slash == 0                    ? text.substr(0, 1)
                                                           : text.substr(0, slash));
      if (fs::is_regular_file((chart.empty() ? fs::path(".") : chart) / "Chart.yaml", error))
        return chart;
    }
    end = slash;
  }
  return std::nullopt;
}

RenderedTemplate render_template(std::string_view text,
                                 const std::vector<const Document *> &values) {
  try {
    return Renderer(text, values).render();
  } catch (const std::runtime_error &) {
    RenderedTemplate out; // `end` without a block, blocks nested past the limit
    out.broken = true;
    return out;
  }
}

bool unrendered_along(const YAML::Node &map, const std::vector<std::string> &path) {
  YAML::Node node = map;
  for (const std::string &key : path) {
    if (node.IsScalar())
      return node.Scalar().find(kUnknownValue) != std::string::npos;
    if (!node.IsMap())
      return false;
    for (const auto &item : node)
      if (item.first.IsScalar() && item.first.Scalar().starts_with(kUnrenderedKey))
        return true;
    const auto entry = find(node, key);
    if (!entry)
      return false;
    node.reset(entry->value);
  }
  if (node.IsSequence()) // a list with an item leash did not render
    for (const auto &item : node)
      if (item.IsScalar() && item.Scalar().find(kUnknownValue) != std::string::npos)
        return true;
  return node.IsScalar() && node.Scalar().find(kUnknownValue) != std::string::npos;
}

} // namespace leash::yaml
