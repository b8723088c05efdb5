#include "frontend/python/module.h"

#include "core/deadline.h"
#include "frontend/python/class_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

extern "C" const TSLanguage *tree_sitter_python();

namespace leash::python {

namespace {

// Which grammar symbols the walk acts on; every other node just passes its context down. Checked
// by symbol id, so the common case costs no string comparison.
bool acts_on(TSSymbol symbol) {
  static const std::vector<bool> table = [] {
    static const std::set<std::string_view> kNames = {"ERROR",
                                                      "import_statement",
                                                      "import_from_statement",
                                                      "call",
                                                      "decorator",
                                                      "identifier",
                                                      "function_definition",
                                                      "lambda",
                                                      "class_definition",
                                                      "for_statement",
                                                      "while_statement",
                                                      "list_comprehension",
                                                      "set_comprehension",
                                                      "dictionary_comprehension",
                                                      "generator_expression",
                                                      "assignment",
                                                      "augmented_assignment",
                                                      "delete_statement",
                                                      "as_pattern"};
    const TSLanguage *language = tree_sitter_python();
    std::vector<bool> acts(ts_language_symbol_count(language) + 1, false);
    for (TSSymbol s = 0; s < acts.size() - 1; ++s)
      acts[s] = kNames.contains(ts_language_symbol_name(language, s));
    acts.back() = true; // ts_builtin_sym_error (65535) maps here, see below
    return acts;
  }();
  return symbol < table.size() - 1 ? table[symbol] : table.back();
}

// A string literal without interpolations (not an f- or t-string): nothing in it is code, so the
// walk does not descend into its parts. One with a syntax error inside is walked, to report it.
bool is_plain_string(TSNode node, std::string_view text) {
  static const TSSymbol kString = [] {
    const TSLanguage *language = tree_sitter_python();
    return ts_language_symbol_for_name(language, "string", 6, true);
  }();
  if (ts_node_symbol(node) != kString || ts_node_has_error(node))
    return false;
  for (const char c : text.substr(ts_node_start_byte(node))) {
    if (c == '"' || c == '\'')
      return true;
    if (c == 'f' || c == 'F' || c == 't' || c == 'T')
      return false;
  }
  return false;
}

bool is_loop(std::string_view type) {
  return type == "for_statement" || type == "while_statement" || type == "list_comprehension" ||
         type == "set_comprehension" || type == "dictionary_comprehension" ||
         type == "generator_expression";
}

// The name a decorator is known by: `route` for `@app.route(...)`, `require_GET` for
// `@require_GET`, `api_view` for `@api_view([...])`.
std::string decorator_name(TSNode decorator, const Module &module) {
  TSNode expression = ts_node_named_child(decorator, 0);
  if (type_of(expression) == "call")
    expression = field(expression, "function");
  if (type_of(expression) == "attribute")
    return std::string(module.text(field(expression, "attribute")));
  if (type_of(expression) == "identifier")
    return std::string(module.text(expression));
  return {};
}

} // namespace

std::string_view type_of(TSNode node) {
  return ts_node_is_null(node) ? std::string_view() : std::string_view(ts_node_type(node));
}

namespace {

// The grammar's field ids by name, worked out once: tree-sitter looks a name up by comparing it
// with every field name of the language, on every call.
TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> out;
    const TSLanguage *language = tree_sitter_python();
    for (TSFieldId id = 1; id <= ts_language_field_count(language); ++id)
      if (const char *field_name = ts_language_field_name_for_id(language, id))
        out.emplace(field_name, id);
    return out;
  }();
  const auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;
}

} // namespace

TSNode field(TSNode node, std::string_view name) {
  if (ts_node_is_null(node))
    return node;
  const TSFieldId id = field_id(name);
  return id == 0 ? TSNode{} : ts_node_child_by_field_id(node, id);
}

bool is_async(TSNode function_definition) {
  if (type_of(function_definition) != "function_definition" ||
      ts_node_child_count(function_definition) == 0)
    return false;
  return type_of(ts_node_child(function_definition, 0)) == "async";
}

std::vector<TSNode> named_children(TSNode node) {
  std::vector<TSNode> children;
  if (ts_node_is_null(node) || ts_node_child_count(node) == 0)
    return children;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      const TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child))
        children.push_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return children;
}

// tree-sitter finds a parent by walking down from the root: O(depth x width). Only for rare use.
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
    TSNode callee;
    bool in_loop;
    int function;
    uint32_t scope;
    bool kept;
  };
  std::vector<RawCall> calls;
  std::vector<TSNode> references;
  // Per scope, names bound to a dict literal; nullopt when its keys cannot be known.
  std::map<std::pair<uint32_t, std::string>, std::optional<TSNode>> dicts;
  // Keys set on a known dict after its literal (`kw["port"] = p`), with their values.
  std::map<std::pair<uint32_t, std::string>, std::vector<std::pair<std::string, TSNode>>>
      dict_additions;

  std::unordered_set<std::string_view> globals; // names assigned at the top level

  // What names hold, where it is the result of a call: (scope, name) -> "requests.Session()"
  // (the qualified callee and "()"), or "" when the name is bound more than one way. For
  // `self.name` in a method, the scope is its class's.
  std::map<std::pair<uint32_t, std::string>, std::string> results;

  void bind(uint32_t scope, std::string name, std::string value) {
    auto [it, fresh] = results.try_emplace({scope, std::move(name)}, value);
    if (!fresh && it->second != value)
      it->second.clear();
  }

  // The class whose method `scope` is, when its first parameter is `name` (`self`).
  std::optional<uint32_t> class_of_self(uint32_t scope, std::string_view name) const {
    const auto function = module.scopes_.find(scope);
    if (function == module.scopes_.end() ||
        type_of(function->second.first) != "function_definition")
      return std::nullopt;
    const auto klass = module.scopes_.find(function->second.second);
    if (klass == module.scopes_.end() || type_of(klass->second.first) != "class_definition")
      return std::nullopt;
    const TSNode first = ts_node_named_child(field(function->second.first, "parameters"), 0);
    if (type_of(first) != "identifier" || module.text(first) != name)
      return std::nullopt;
    return function->second.second;
  }

  // What `target` (a name, or `self.name` in a method) is bound to by `value`.
  void note_binding(TSNode target, TSNode value, uint32_t scope) {
    std::string result;
    if (type_of(value) == "call")
      if (auto callee = qualify_in(field(value, "function"), scope))
        result = *callee + "()";
    if (type_of(target) == "identifier") {
      bind(scope, std::string(module.text(target)), result);
    } else if (type_of(target) == "attribute" && type_of(field(target, "object")) == "identifier") {
      if (auto klass = class_of_self(scope, module.text(field(target, "object"))))
        bind(*klass, std::string(module.text(field(target, "attribute"))), result);
    }
  }

  // The fully qualified name of what `expression` refers to, seen from `scope`: a name bound to
  // a call's result (`s = requests.Session()`) is that result (`requests.Session()`), so
  // `s.get` is `requests.Session().get`; else as Module::qualify.
  std::optional<std::string> qualify_in(TSNode expression, uint32_t scope) const {
    const std::string_view type = type_of(expression);
    if (type == "identifier") {
      const std::string name(module.text(expression));
      for (uint32_t s = scope;;) {
        if (const auto it = results.find({s, name}); it != results.end()) {
          if (it->second.empty())
            return std::nullopt; // bound more than one way
          return it->second;
        }
        if (s == kModuleScope)
          break;
        const auto up = module.scopes_.find(s);
        s = up == module.scopes_.end() ? kModuleScope : up->second.second;
      }
      return module.qualify(expression);
    }
    if (type == "attribute") {
      const TSNode object = field(expression, "object");
      const std::string attribute(module.text(field(expression, "attribute")));
      if (type_of(object) == "identifier")
        if (auto klass = class_of_self(scope, module.text(object)))
          if (const auto it = results.find({*klass, attribute});
              it != results.end() && !it->second.empty())
            return it->second;
      auto qualified = qualify_in(object, scope);
      if (!qualified)
        return std::nullopt;
      return *qualified + "." + attribute;
    }
    return std::nullopt;
  }

  // What the children of a node see: their parent and grandparent and the code context.
  struct Context {
    TSNode parent;
    TSNode grandparent;
    TSNode great_grandparent;
    int loop_depth;
    int function; // the innermost function definition around (see Module::functions), or -1
    uint32_t scope;
    TSNode element; // the element a comprehension builds: made once per item, and kept
  };

  void forget_dict(uint32_t scope, TSNode name) {
    if (type_of(name) == "identifier")
      dicts[{scope, std::string(module.text(name))}] = std::nullopt;
  }

  void note_assignment(TSNode node, uint32_t scope) {
    TSNode left = field(node, "left");
    TSNode right = field(node, "right");
    note_binding(left, right, scope);
    if (type_of(left) == "subscript") {
      // cfg["port"] = p adds a key that is known; cfg[name] = v leaves its keys unknown.
      const TSNode dict = field(left, "value");
      const auto key = module.string(field(left, "subscript"));
      const auto known = type_of(dict) == "identifier"
                             ? dicts.find({scope, std::string(module.text(dict))})
                             : dicts.end();
      if (key && known != dicts.end() && known->second)
        dict_additions[known->first].emplace_back(*key, right);
      else
        forget_dict(scope, dict);
      return;
    }
    if (type_of(left) != "identifier")
      return;
    const bool literal =
        type_of(right) == "dictionary" ||
        (type_of(right) == "call" && module.qualify(field(right, "function")) == "builtins.dict");
    auto key = std::make_pair(scope, std::string(module.text(left)));
    if (literal && !dicts.contains(key))
      dicts[key] = right;
    else
      dicts[key] = std::nullopt; // reassigned, or not a literal
  }

  // The module a relative import names, by the importing file's path: `..db` in
  // /src/app/api/x.py is src.app.db.
  std::string relative_module(TSNode relative) {
    std::vector<std::string> parts = package_components(module.source_.path());
    for (TSNode child : named_children(relative)) {
      if (type_of(child) == "import_prefix") {
        for (size_t dots = module.text(child).size(); dots > 1 && !parts.empty(); --dots)
          parts.pop_back();
      } else {
        parts.emplace_back(module.text(child));
      }
    }
    std::string dotted;
    for (const std::string &part : parts)
      dotted += (dotted.empty() ? "" : ".") + part;
    return dotted;
  }

  void note_import(TSNode node) {
    const bool from = type_of(node) == "import_from_statement";
    std::string prefix;
    if (from) {
      TSNode module_name = field(node, "module_name");
      if (type_of(module_name) == "relative_import")
        prefix = relative_module(module_name) + ".";
      else if (type_of(module_name) == "dotted_name")
        prefix = std::string(module.text(module_name)) + ".";
      else
        return;
    }
    for (TSNode child : named_children(node)) {
      if (from && ts_node_eq(child, field(node, "module_name")))
        continue;
      if (type_of(child) == "wildcard_import") {
        module.star_imports_.push_back(prefix.substr(0, prefix.size() - 1));
      } else if (type_of(child) == "dotted_name") {
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

  // Notes what `node` holds; returns the context for its children, or nullopt to skip them.
  std::optional<Context> visit(TSNode node, const Context &frame) {
    if (ts_node_is_missing(node))
      note_error(node);
    if (!ts_node_is_named(node))
      return std::nullopt;
    if (!acts_on(ts_node_symbol(node))) {
      if (is_plain_string(node, module.source().text()))
        return std::nullopt;
      return Context{node,           frame.parent, frame.grandparent, frame.loop_depth,
                     frame.function, frame.scope,  TSNode{}};
    }
    const std::string_view type = type_of(node);
    if (type == "ERROR")
      note_error(node);
    Context inner = {node,           frame.parent, frame.grandparent, frame.loop_depth,
                     frame.function, frame.scope,  TSNode{}};
    if (type == "import_statement" || type == "import_from_statement") {
      note_import(node);
      return std::nullopt;
    } else if (type == "call") {
      // `[Redis(host=h) for h in hosts]` builds one client per host and keeps them all: the
      // element itself is not work repeated per pass (calls inside it are).
      const bool element = !ts_node_is_null(frame.element) && ts_node_eq(node, frame.element);
      const int depth = element ? frame.loop_depth - 1 : frame.loop_depth;
      const bool kept =
          type_of(frame.parent) == "return_statement" ||
          (type_of(frame.parent) == "assignment" && is_field(frame.parent, "right", node) &&
           type_of(field(frame.parent, "left")) != "identifier");
      TSNode function = field(node, "function");
      calls.push_back({node, type_of(frame.parent) == "decorator" ? frame.parent : node, function,
                       depth > 0, frame.function, frame.scope, kept});
      if (type_of(function) == "attribute") {
        const std::string_view method = module.text(field(function, "attribute"));
        if (method == "update" || method == "setdefault" || method == "pop" || method == "clear" ||
            method == "__setitem__")
          forget_dict(frame.scope, field(function, "object"));
      }
    } else if (type == "decorator") {
      TSNode expression = ts_node_named_child(node, 0);
      if (type_of(expression) == "identifier" || type_of(expression) == "attribute")
        references.push_back(node);
    } else if (type == "identifier") {
      if (auto it = globals.find(module.text(node)); it != globals.end())
        module.global_uses_[std::string(*it)].push_back(
            {{node, frame.parent, frame.grandparent, frame.great_grandparent}, frame.scope});
      return std::nullopt;
    } else if (type == "function_definition" || type == "lambda" || type == "class_definition") {
      if (type == "class_definition")
        module.classes_.push_back(node);
      module.scopes_[ts_node_start_byte(node)] = {node, frame.scope};
      inner.loop_depth = 0; // its body runs when called, not once per iteration around it
      inner.scope = ts_node_start_byte(node);
      inner.function = -1; // a lambda's or a class body's calls are no function's own
      if (type == "function_definition") {
        Function function{node, module.text(field(node, "name")), {}};
        if (type_of(frame.parent) == "decorated_definition")
          for (TSNode child : named_children(frame.parent))
            if (type_of(child) == "decorator")
              function.decorators.push_back(decorator_name(child, module));
        inner.function = static_cast<int>(module.functions_.size());
        module.functions_.push_back(std::move(function));
      }
    } else if (is_loop(type)) {
      ++inner.loop_depth;
      if (type.ends_with("comprehension"))
        inner.element = field(node, "body");
    } else if (type == "assignment") {
      note_assignment(node, frame.scope);
      if (type_of(field(node, "left")) == "attribute")
        module.attribute_assignments_.push_back(node);
    } else if (type == "delete_statement") {
      module.deletions_.push_back(node);
    } else if (type == "augmented_assignment") {
      forget_dict(frame.scope, field(node, "left"));
    } else if (type == "as_pattern" && type_of(frame.parent) == "with_item") {
      // `with requests.Session() as s:` binds s to the call's result.
      const TSNode alias = ts_node_named_child(field(node, "alias"), 0);
      note_binding(alias, ts_node_named_child(node, 0), frame.scope);
    }
    return inner;
  }

  // One depth-first pass with one cursor (cheap moves), keeping a context per open level.
  void walk(TSNode root) {
    for (TSNode statement : named_children(root)) {
      TSNode left = field(ts_node_named_child(statement, 0), "left");
      if (type_of(left) == "identifier")
        globals.emplace(module.text(left));
    }
    std::vector<Context> open;
    const Context top = {TSNode{}, TSNode{}, TSNode{}, 0, -1, kModuleScope, TSNode{}};
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    struct CursorOwner {
      TSTreeCursor &cursor;
      ~CursorOwner() { ts_tree_cursor_delete(&cursor); }
    } owner{cursor}; // freed when the file's time budget ends the walk too
    bool descend = false;
    if (auto inner = visit(root, top)) {
      open.push_back(*inner);
      descend = true;
    }
    while (true) {
      poll_deadline();
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
        // at the first child
      } else {
        if (descend)
          open.pop_back(); // a node without children
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
          if (open.empty() || !ts_tree_cursor_goto_parent(&cursor))
            break;
          open.pop_back();
        }
        if (!moved)
          break;
      }
      auto inner = visit(ts_tree_cursor_current_node(&cursor), open.empty() ? top : open.back());
      descend = inner.has_value();
      if (descend)
        open.push_back(*inner);
    }
  }

  // The dict literal a name is bound to, with the keys set on it afterwards.
  struct BoundDict {
    TSNode literal;
    const std::vector<std::pair<std::string, TSNode>> *added = nullptr;
  };
  std::optional<BoundDict> dict_bound_to(TSNode name, uint32_t scope) const {
    if (type_of(name) != "identifier")
      return std::nullopt;
    const std::string key(module.text(name));
    for (uint32_t s : {scope, kModuleScope}) {
      auto it = dicts.find({s, key});
      if (it == dicts.end())
        continue;
      if (!it->second)
        return std::nullopt;
      const auto added = dict_additions.find(it->first);
      return BoundDict{*it->second, added == dict_additions.end() ? nullptr : &added->second};
    }
    return std::nullopt;
  }

  // Adds the keys of a dict literal or `dict(...)` call as keywords; false when they can't be
  // known.
  bool spread(TSNode dict, Call &call) const {
    if (type_of(dict) == "call") {
      TSNode args = field(dict, "arguments");
      for (TSNode arg : named_children(args)) {
        if (type_of(arg) == "comment")
          continue;
        if (type_of(arg) != "keyword_argument")
          return false;
        call.keywords.push_back(
            {std::string(module.text(field(arg, "name"))), field(arg, "value")});
      }
      return true;
    }
    for (TSNode pair : named_children(dict)) {
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
      call.function_node = raw.callee;
      call.in_loop = raw.in_loop;
      call.function = raw.function;
      call.kept = raw.kept;
      call.callee = qualify_in(raw.callee, raw.scope).value_or("");
      TSNode args = field(raw.node, "arguments");
      for (TSNode arg : named_children(args)) {
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
            call.unknown_keywords |= !spread(dict->literal, call);
            if (dict->added)
              for (const auto &[key, value] : *dict->added)
                call.keywords.push_back({key, value});
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

namespace {

// One parser per thread, reused: creating one per file costs more than small files take to parse.
TSParser *thread_parser() {
  struct Owner {
    TSParser *parser = ts_parser_new();
    ~Owner() { ts_parser_delete(parser); }
  };
  thread_local Owner owner;
  thread_local const bool ready = ts_parser_set_language(owner.parser, tree_sitter_python());
  if (!ready)
    throw std::runtime_error("the tree-sitter runtime does not accept the Python grammar");
  return owner.parser;
}

// Parses `text`, stopping (null) when the file's time budget runs out: tree-sitter asks after
// every few hundred steps.
TSTree *parse(TSParser *parser, std::string_view text) {
  const auto length = static_cast<uint32_t>(text.size());
  if (!has_deadline())
    return ts_parser_parse_string(parser, nullptr, text.data(), length);
  const auto read = [](void *payload, uint32_t byte, TSPoint, uint32_t *bytes_read) {
    const auto *all = static_cast<const std::string_view *>(payload);
    const std::string_view rest = byte < all->size() ? all->substr(byte) : std::string_view{};
    *bytes_read = static_cast<uint32_t>(rest.size());
    return rest.data();
  };
  const TSInput input{&text, read, TSInputEncodingUTF8, nullptr};
  TSParseOptions options{nullptr, [](TSParseState *) { return deadline_passed(); }};
  return ts_parser_parse_with_options(parser, nullptr, input, options);
}

} // namespace

std::vector<std::string> package_components(const std::filesystem::path &file) {
  std::vector<std::string> parts;
  for (const auto &part : std::filesystem::absolute(file).lexically_normal().parent_path())
    if (!part.empty() && part != part.root_path())
      parts.push_back(part.string());
  return parts;
}

std::vector<std::string> module_components(const std::filesystem::path &file) {
  std::vector<std::string> parts = package_components(file);
  if (std::string stem = file.stem().string(); stem != "__init__")
    parts.push_back(std::move(stem));
  return parts;
}

Module::Module(const SourceFile &source, const ClassIndex *tree)
    : source_(source), tree_index_(tree) {
  const std::string_view text = source.text();
  TSParser *parser = thread_parser();
  tree_ = parse(parser, text);
  if (!tree_) {
    ts_parser_reset(parser); // a parse stopped at the deadline would otherwise resume next time
    if (has_deadline())
      throw DeadlineExceeded{};
    throw std::runtime_error("tree-sitter could not parse the file");
  }
  try {
    Walker walker{*this, {}, {}, {}, {}, {}, {}};
    walker.walk(root());
    walker.resolve();
  } catch (...) {
    ts_tree_delete(tree_); // the destructor does not run for a constructor that throws
    tree_ = nullptr;
    throw;
  }
}

Module::~Module() {
  if (tree_)
    ts_tree_delete(tree_);
}

TSNode Module::root() const { return ts_tree_root_node(tree_); }

const std::vector<NameUse> &Module::uses_of_global(std::string_view name) const {
  static const std::vector<NameUse> kNone;
  auto it = global_uses_.find(name);
  return it == global_uses_.end() ? kNone : it->second;
}

TSNode Module::scope_node(uint32_t scope) const {
  auto it = scopes_.find(scope);
  return it == scopes_.end() ? TSNode{} : it->second.first;
}

uint32_t Module::enclosing_scope(uint32_t scope) const {
  auto it = scopes_.find(scope);
  return it == scopes_.end() ? kModuleScope : it->second.second;
}

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

// Whether `member` is `def __init__(self, *args, **kwargs)` that hands every argument on to the
// base's constructor as it came (`super().__init__(*args, **kwargs)`, or `Base.__init__(self,
// *args, **kwargs)`) and does nothing else with them: building the class passes the caller's
// arguments to the base, as a class with no constructor of its own does.
bool Module::forwards_arguments(TSNode member) const {
  if (type_of(member) != "function_definition")
    return false;
  const auto parameters = named_children(field(member, "parameters"));
  if (parameters.size() < 2 || type_of(parameters[0]) != "identifier")
    return false;
  std::string splats; // as the forwarding call must spell them: "*args,**kwargs"
  std::set<std::string_view> names;
  for (size_t i = 1; i < parameters.size(); ++i) {
    const std::string_view type = type_of(parameters[i]);
    if (type != "list_splat_pattern" && type != "dictionary_splat_pattern")
      return false; // an argument of its own (`name="app"`): what reaches the base is not known
    const TSNode name = ts_node_named_child(parameters[i], 0);
    if (type_of(name) != "identifier")
      return false;
    names.insert(text(name));
    splats += fmt::format("{}{}{}", splats.empty() ? "" : ",",
                          type == "list_splat_pattern" ? "*" : "**", text(name));
  }
  const std::string_view self = text(parameters[0]);
  int forwarded = 0, mentioned = 0;
  for (TSNode statement : named_children(field(member, "body"))) {
    const TSNode call = ts_node_named_child(statement, 0);
    if (type_of(statement) != "expression_statement" || type_of(call) != "call")
      continue;
    const TSNode callee = field(call, "function");
    if (type_of(callee) != "attribute" || text(field(callee, "attribute")) != "__init__")
      continue;
    const TSNode object = field(callee, "object");
    std::string spelled;
    bool by_base = false; // `Base.__init__(self, ...)`
    for (TSNode argument : named_children(field(call, "arguments"))) {
      if (!by_base && spelled.empty() && type_of(argument) == "identifier" &&
          text(argument) == self && type_of(object) != "call") {
        by_base = true;
        continue;
      }
      spelled += fmt::format("{}{}", spelled.empty() ? "" : ",", text(argument));
    }
    const bool to_super =
        type_of(object) == "call" && text(field(object, "function")) == "super" && !by_base;
    forwarded += (to_super || by_base) && spelled == splats;
  }
  for_each_node(field(member, "body"), [&](TSNode node) {
    mentioned += type_of(node) == "identifier" && names.contains(text(node));
    return true;
  });
  // The one forwarding call mentions each name once; any other mention may change them.
  return forwarded == 1 && mentioned == static_cast<int>(names.size());
}

const Module::ClassShapes &Module::class_shapes() const {
  if (class_shapes_)
    return *class_shapes_;
  class_shapes_.emplace();
  for (TSNode statement : named_children(root())) {
    if (type_of(statement) == "decorated_definition")
      statement = field(statement, "definition");
    if (type_of(statement) != "class_definition")
      continue;
    ClassShape shape;
    for (TSNode member : named_children(field(statement, "body"))) {
      if (type_of(member) == "decorated_definition")
        member = field(member, "definition");
      TSNode name = field(member, "name");             // `def request(...)`
      if (type_of(member) == "expression_statement") { // `request = partialmethod(...)`
        const TSNode assignment = ts_node_named_child(member, 0);
        name = type_of(assignment) == "assignment" ? field(assignment, "left") : TSNode{};
      } else if (type_of(member) != "function_definition") {
        continue;
      }
      if (type_of(name) != "identifier")
        continue;
      const std::string_view method = text(name);
      shape.methods.emplace_back(method);
      shape.constructor |=
          (method == "__init__" && !forwards_arguments(member)) || method == "__new__";
    }
    for (TSNode base : named_children(field(statement, "superclasses"))) {
      if (type_of(base) == "subscript") // a generic's: `asyncio.Queue[int]`
        base = field(base, "value");
      if (const auto qualified = qualify(base))
        shape.bases.push_back(*qualified);
    }
    class_shapes_->insert_or_assign(std::string(text(field(statement, "name"))), std::move(shape));
  }
  return *class_shapes_;
}

namespace {

// Bases that define no constructor a subclass's arguments could go to.
bool inert_base(std::string_view name) {
  return name == "builtins.object" || name == "typing.Generic" || name == "typing.Protocol" ||
         name == "abc.ABC";
}

} // namespace

std::optional<std::string> Module::built_class(std::string_view callee,
                                               std::vector<std::string> *methods) const {
  // The classes the call may run the constructor of, and the methods of, are all the known
  // classes it derives from (this module's and the tree's); what it builds is the one class on
  // the way that is not known (a library's: redis.asyncio.Redis). Judged only when that is
  // unambiguous: no known class on the way defines __init__ or __new__ (Python's resolution
  // order may pick it, the arguments are then its own), and one unknown class is reached (a
  // mixin from outside the scan beside the client class may take the arguments).
  std::string module_name;
  if (tree_index_)
    for (const std::string &part : module_components(source_.path()))
      module_name += (module_name.empty() ? "" : ".") + part;
  std::vector<std::string> leaves;
  std::set<std::string, std::less<>> seen;
  std::vector<std::pair<std::string, std::string>> pending = {{std::string(callee), module_name}};
  while (!pending.empty()) {
    const auto [name, near] = std::move(pending.back());
    pending.pop_back();
    const ClassShape *shape = nullptr;
    std::string full = name;
    std::string inner = near; // where its bases are named
    if (name.starts_with("builtins."))
      if (const auto it = class_shapes().find(std::string_view(name).substr(9));
          it != class_shapes().end() && near == module_name)
        shape = &it->second;
    if (!shape && tree_index_)
      if (const ClassIndex::Entry *entry = tree_index_->find(name, near)) {
        shape = &entry->second;
        full = inner = entry->first;
      }
    if (!shape) {
      if (!inert_base(name) && std::find(leaves.begin(), leaves.end(), name) == leaves.end())
        leaves.push_back(name);
      continue;
    }
    if (!seen.insert(full).second)
      continue;
    if (shape->constructor || seen.size() > 64)
      return std::nullopt;
    if (methods)
      methods->insert(methods->end(), shape->methods.begin(), shape->methods.end());
    for (auto base = shape->bases.rbegin(); base != shape->bases.rend(); ++base)
      pending.emplace_back(*base, inner);
  }
  if (leaves.size() != 1)
    return std::nullopt;
  return leaves.front();
}

bool Module::is_none(TSNode node) const { return type_of(node) == "none"; }

std::optional<long long> Module::integer(TSNode node) const {
  bool negative = false;
  if (type_of(node) == "unary_operator" && type_of(field(node, "operator")) == "-") {
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
    for (TSNode piece : named_children(node)) {
      auto part = string(piece);
      if (!part)
        return std::nullopt;
      joined += *part;
    }
    return joined;
  }
  if (type_of(node) != "string")
    return std::nullopt;
  std::string content;
  for (TSNode child : named_children(node)) {
    const std::string_view type = type_of(child);
    if (type == "interpolation")
      return std::nullopt;
    if (type == "string_content")
      content += text(child);
  }
  return content;
}

} // namespace leash::python
