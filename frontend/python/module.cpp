#include "frontend/python/module.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <stdexcept>

extern "C" const TSLanguage *tree_sitter_python();

namespace leash::python {

namespace {

constexpr uint32_t kModuleScope = UINT32_MAX;

bool is_loop(std::string_view type) {
  return type == "for_statement" || type == "while_statement" || type == "list_comprehension" ||
         type == "set_comprehension" || type == "dictionary_comprehension" ||
         type == "generator_expression";
}

// `@app.get("/")`, `@router.post(...)`, `@routes.route(...)`, `@api_view([...])`: a web route.
bool is_route_decorator(TSNode decorator, const Module &module) {
  TSNode expression = ts_node_named_child(decorator, 0);
  if (type_of(expression) != "call")
    return false;
  TSNode function = field(expression, "function");
  std::string_view name;
  if (type_of(function) == "attribute")
    name = module.text(field(function, "attribute"));
  else if (type_of(function) == "identifier")
    name = module.text(function);
  static const std::set<std::string_view> kRouteNames = {
      "route", "get",     "post",      "put",       "delete",  "patch",
      "head",  "options", "websocket", "api_route", "api_view"};
  return kRouteNames.contains(name);
}

} // namespace

std::string_view type_of(TSNode node) {
  return ts_node_is_null(node) ? std::string_view() : std::string_view(ts_node_type(node));
}

TSNode field(TSNode node, std::string_view name) {
  if (ts_node_is_null(node))
    return node;
  return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
}

TSNode parent_of(TSNode node) { return ts_node_is_null(node) ? node : ts_node_parent(node); }

bool is_field(TSNode parent, std::string_view name, TSNode child) {
  const TSNode value = field(parent, name);
  return !ts_node_is_null(value) && ts_node_eq(value, child);
}

struct Module::Walker {
  Module &module;

  struct RawCall {
    TSNode node;
    TSNode report_at;
    bool in_loop;
    bool in_route_handler;
    uint32_t scope;
  };
  std::vector<RawCall> calls;
  std::vector<TSNode> references;
  // Per scope, names bound to a dict literal; nullopt when its keys cannot be known.
  std::map<std::pair<uint32_t, std::string>, std::optional<TSNode>> dicts;

  struct Frame {
    TSNode node;
    int loop_depth;
    bool route;
    uint32_t scope;
    bool element = false; // the element a comprehension builds: made once per item, and kept
  };

  void forget_dict(uint32_t scope, TSNode name) {
    if (type_of(name) == "identifier")
      dicts[{scope, std::string(module.text(name))}] = std::nullopt;
  }

  void note_assignment(TSNode node, uint32_t scope) {
    TSNode left = field(node, "left");
    TSNode right = field(node, "right");
    if (type_of(left) == "subscript") { // cfg["key"] = ...: its keys are no longer known
      forget_dict(scope, field(left, "value"));
      return;
    }
    if (type_of(left) != "identifier")
      return;
    const bool literal =
        type_of(right) == "dictionary" ||
        (type_of(right) == "call" && module.text(field(right, "function")) == "dict");
    auto key = std::make_pair(scope, std::string(module.text(left)));
    if (literal && !dicts.contains(key))
      dicts[key] = right;
    else
      dicts[key] = std::nullopt; // reassigned, or not a literal
  }

  void note_import(TSNode node) {
    const bool from = type_of(node) == "import_from_statement";
    std::string prefix;
    if (from) {
      TSNode module_name = field(node, "module_name");
      if (type_of(module_name) != "dotted_name")
        return; // relative imports name this project's own modules
      prefix = std::string(module.text(module_name)) + ".";
    }
    const uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (from && ts_node_eq(child, field(node, "module_name")))
        continue;
      if (type_of(child) == "dotted_name") {
        const std::string name(module.text(child));
        if (from)
          module.imports_[name] = prefix + name;
        else // `import a.b` binds `a`
          module.imports_[name.substr(0, name.find('.'))] = name.substr(0, name.find('.'));
      } else if (type_of(child) == "aliased_import") {
        module.imports_[std::string(module.text(field(child, "alias")))] =
            prefix + std::string(module.text(field(child, "name")));
      }
    }
  }

  void note_error(TSNode node) {
    if (module.syntax_error_)
      return;
    const TSPoint at = ts_node_start_point(node);
    std::string message = "syntax error";
    if (ts_node_is_missing(node))
      message = fmt::format("syntax error: missing `{}`", ts_node_type(node));
    module.syntax_error_ = SyntaxError{
        module.source_.position(static_cast<int>(at.row), static_cast<int>(at.column)), message};
  }

  void walk(TSNode root) {
    std::vector<Frame> stack = {{root, 0, false, kModuleScope}};
    while (!stack.empty()) {
      Frame frame = stack.back();
      stack.pop_back();
      const TSNode node = frame.node;
      const std::string_view type = type_of(node);
      if (ts_node_is_missing(node) || type == "ERROR")
        note_error(node);

      Frame inner = frame;
      if (type == "import_statement" || type == "import_from_statement") {
        note_import(node);
        continue;
      } else if (type == "call") {
        TSNode parent = ts_node_parent(node);
        // `[Redis(host=h) for h in hosts]` builds one client per host and keeps them all: the
        // element itself is not work repeated per pass (calls inside it are).
        const int depth = frame.element ? frame.loop_depth - 1 : frame.loop_depth;
        calls.push_back({node, type_of(parent) == "decorator" ? parent : node, depth > 0,
                         frame.route, frame.scope});
        TSNode function = field(node, "function");
        if (type_of(function) == "attribute") {
          const std::string_view method = module.text(field(function, "attribute"));
          if (method == "update" || method == "setdefault" || method == "pop" ||
              method == "clear" || method == "__setitem__")
            forget_dict(frame.scope, field(function, "object"));
        }
      } else if (type == "decorator") {
        TSNode expression = ts_node_named_child(node, 0);
        if (type_of(expression) == "identifier" || type_of(expression) == "attribute")
          references.push_back(node);
      } else if (type == "function_definition" || type == "lambda" || type == "class_definition") {
        inner.loop_depth = 0; // its body runs when called, not once per iteration around it
        inner.scope = ts_node_start_byte(node);
        inner.route = false;
        TSNode parent = ts_node_parent(node);
        if (type == "function_definition" && type_of(parent) == "decorated_definition") {
          const uint32_t count = ts_node_named_child_count(parent);
          for (uint32_t i = 0; i < count; ++i) {
            TSNode child = ts_node_named_child(parent, i);
            if (type_of(child) == "decorator" && is_route_decorator(child, module))
              inner.route = true;
          }
        }
      } else if (is_loop(type)) {
        ++inner.loop_depth;
      } else if (type == "assignment") {
        note_assignment(node, frame.scope);
      } else if (type == "augmented_assignment") {
        forget_dict(frame.scope, field(node, "left"));
      }
      const TSNode element = type.ends_with("comprehension") ? field(node, "body") : TSNode{};
      const uint32_t count = ts_node_child_count(node);
      for (uint32_t i = count; i-- > 0;) {
        TSNode child = ts_node_child(node, i);
        if (ts_node_is_named(child) || ts_node_is_missing(child))
          stack.push_back({child, inner.loop_depth, inner.route, inner.scope,
                           !ts_node_is_null(element) && ts_node_eq(child, element)});
      }
    }
  }

  std::optional<TSNode> dict_bound_to(TSNode name, uint32_t scope) const {
    if (type_of(name) != "identifier")
      return std::nullopt;
    const std::string key(module.text(name));
    for (uint32_t s : {scope, kModuleScope}) {
      auto it = dicts.find({s, key});
      if (it != dicts.end())
        return it->second;
    }
    return std::nullopt;
  }

  // Adds the keys of a dict literal or `dict(...)` call as keywords; false when they can't be
  // known.
  bool spread(TSNode dict, Call &call) const {
    if (type_of(dict) == "call") {
      TSNode args = field(dict, "arguments");
      const uint32_t count = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode arg = ts_node_named_child(args, i);
        if (type_of(arg) == "comment")
          continue;
        if (type_of(arg) != "keyword_argument")
          return false;
        call.keywords.push_back(
            {std::string(module.text(field(arg, "name"))), field(arg, "value")});
      }
      return true;
    }
    const uint32_t count = ts_node_named_child_count(dict);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode pair = ts_node_named_child(dict, i);
      if (type_of(pair) == "comment")
        continue;
      if (type_of(pair) != "pair")
        return false;
      const auto key = module.string(field(pair, "key"));
      if (!key)
        return false;
      call.keywords.push_back({*key, field(pair, "value")});
    }
    return true;
  }

  void resolve() {
    for (const RawCall &raw : calls) {
      Call call;
      call.node = raw.node;
      call.report_at = raw.report_at;
      call.in_loop = raw.in_loop;
      call.in_route_handler = raw.in_route_handler;
      call.callee = module.qualify(field(raw.node, "function")).value_or("");
      TSNode args = field(raw.node, "arguments");
      const uint32_t count = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode arg = ts_node_named_child(args, i);
        const std::string_view type = type_of(arg);
        if (type == "comment")
          continue;
        if (type == "keyword_argument") {
          call.keywords.push_back(
              {std::string(module.text(field(arg, "name"))), field(arg, "value")});
        } else if (type == "dictionary_splat") {
          const auto dict = dict_bound_to(ts_node_named_child(arg, 0), raw.scope);
          TSNode inline_dict = ts_node_named_child(arg, 0);
          if (type_of(inline_dict) == "dictionary") {
            call.unknown_keywords |= !spread(inline_dict, call);
          } else if (dict) {
            call.unknown_keywords |= !spread(*dict, call);
          } else {
            call.unknown_keywords = true;
          }
        } else if (type == "list_splat") {
          call.unknown_keywords = true;
        } else {
          call.positional.push_back(arg);
        }
      }
      module.calls_.push_back(std::move(call));
    }
    for (TSNode decorator : references)
      if (auto name = module.qualify(ts_node_named_child(decorator, 0)))
        module.references_.push_back({decorator, *name});
  }
};

Module::Module(const SourceFile &source) : source_(source) {
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, tree_sitter_python())) {
    ts_parser_delete(parser);
    throw std::runtime_error("the tree-sitter runtime does not accept the Python grammar");
  }
  const std::string_view text = source.text();
  tree_ = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  ts_parser_delete(parser);
  if (!tree_)
    throw std::runtime_error("tree-sitter could not parse the file");
  Walker walker{*this, {}, {}, {}};
  walker.walk(root());
  walker.resolve();
}

Module::~Module() {
  if (tree_)
    ts_tree_delete(tree_);
}

TSNode Module::root() const { return ts_tree_root_node(tree_); }

std::string_view Module::text(TSNode node) const {
  if (ts_node_is_null(node))
    return {};
  const uint32_t start = ts_node_start_byte(node);
  const uint32_t end = ts_node_end_byte(node);
  return source_.text().substr(start, end - start);
}

Span Module::span(TSNode node) const {
  const TSPoint start = ts_node_start_point(node);
  const TSPoint end = ts_node_end_point(node);
  return {source_.position(static_cast<int>(start.row), static_cast<int>(start.column)),
          source_.position(static_cast<int>(end.row), static_cast<int>(end.column))};
}

std::optional<std::string> Module::qualify(TSNode expression) const {
  const std::string_view type = type_of(expression);
  if (type == "identifier") {
    const std::string_view name = text(expression);
    if (auto it = imports_.find(name); it != imports_.end())
      return it->second;
    return "builtins." + std::string(name);
  }
  if (type == "attribute") {
    auto object = qualify(field(expression, "object"));
    if (!object)
      return std::nullopt;
    return *object + "." + std::string(text(field(expression, "attribute")));
  }
  return std::nullopt;
}

bool Module::is_none(TSNode node) const { return type_of(node) == "none"; }

std::optional<long long> Module::integer(TSNode node) const {
  bool negative = false;
  if (type_of(node) == "unary_operator" && text(field(node, "operator")) == "-") {
    negative = true;
    node = field(node, "argument");
  }
  if (type_of(node) != "integer")
    return std::nullopt;
  std::string digits;
  for (char c : text(node))
    if (c != '_')
      digits += c;
  int base = 10;
  size_t skip = 0;
  if (digits.size() > 2 && digits[0] == '0') {
    const char kind = static_cast<char>(digits[1] | 0x20);
    base = kind == 'x' ? 16 : kind == 'o' ? 8 : kind == 'b' ? 2 : 10;
    skip = base == 10 ? 0 : 2;
  }
  long long value = 0;
  const auto [end, ec] =
      std::from_chars(digits.data() + skip, digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return negative ? -value : value;
}

std::optional<std::string> Module::string(TSNode node) const {
  if (type_of(node) == "concatenated_string") {
    std::string joined;
    const uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
      auto part = string(ts_node_named_child(node, i));
      if (!part)
        return std::nullopt;
      joined += *part;
    }
    return joined;
  }
  if (type_of(node) != "string")
    return std::nullopt;
  std::string content;
  const uint32_t count = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode child = ts_node_named_child(node, i);
    const std::string_view type = type_of(child);
    if (type == "interpolation")
      return std::nullopt;
    if (type == "string_content")
      content += text(child);
  }
  return content;
}

} // namespace leash::python
