// grow-only-container for Python: instance attributes (assigned in __init__ or the class body) and
// module globals holding a container that their class or module grows and never shrinks. Every
// use of the container is classified; one that could hand it to other code (an argument, a return
// value, an alias) means leash cannot see all the removals, and the container is left alone.
#include "frontend/python/edit.h"
#include "frontend/python/python_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace leash::python {

namespace {

struct Vocabulary {
  std::map<std::string, std::string, std::less<>> containers; // constructor -> kind
  std::set<std::string, std::less<>> grow, shrink, readers;
  std::vector<std::string> long_lived; // "pkg.module.Class": instances live for the process
};

// The schema of targets.python (see rules/grow-only-container.yaml).
Vocabulary build_vocabulary(const TargetReader &targets) {
  Vocabulary v;
  const auto r = targets.record({"containers", "grow", "shrink", "readers", "long_lived"});
  for (const auto &[callee, kind] : r.required("containers").entries())
    v.containers[callee] =
        kind.one_of({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"});
  for (const auto &[key, set] : {std::pair{"grow", &v.grow}, std::pair{"shrink", &v.shrink},
                                 std::pair{"readers", &v.readers}})
    for (const std::string &name : r.required(key).strings())
      set->insert(name);
  if (const auto long_lived = r.get("long_lived"))
    for (const TargetReader &name : long_lived->items()) {
      v.long_lived.push_back(name.string());
      if (v.long_lived.back().find('.') == std::string::npos)
        name.fail("a long-lived class is named with its module: `package.module.Class`");
    }
  return v;
}

// Whether the class `name` of the module in `path` ("src/acme/registry.py") is `qualified`
// ("acme.registry.Registry"): the module's path ends with the name's module part.
bool names_class(std::string_view qualified, std::string_view path, std::string_view name) {
  const size_t dot = qualified.rfind('.');
  if (qualified.substr(dot + 1) != name)
    return false;
  std::string module(path.substr(0, path.rfind('.')));
  if (module.ends_with("/__init__"))
    module.resize(module.size() - 9);
  std::replace(module.begin(), module.end(), '/', '.');
  const std::string_view wanted = qualified.substr(0, dot);
  return module == wanted ||
         (module.ends_with(wanted) && module[module.size() - wanted.size() - 1] == '.');
}

enum class Use { Neutral, Grow, Shrink, Escape, SizeCheck };

struct Candidate {
  std::string name;
  std::string kind;
  TSNode target;             // the first assignment's target: where it is reported
  TSNode assignment;         // that assignment
  bool counting = false;     // defaultdict/Counter: `x[k] += 1` adds k
  bool class_level = false;  // a class attribute (shared by all instances)
  bool size_checked = false; // `len(x) < limit` somewhere: growth is guarded by a bound
  bool shrinks = false, escapes = false;
  std::optional<TSNode> grows_at;
};

Candidate make_candidate(std::string name, const std::string &kind, TSNode target,
                         TSNode assignment) {
  Candidate c;
  c.name = std::move(name);
  c.kind = kind;
  c.target = target;
  c.assignment = assignment;
  c.counting = kind == "defaultdict" || kind == "Counter";
  return c;
}

class Analysis {
public:
  Analysis(const Module &module, const Vocabulary &vocabulary)
      : module_(module), vocabulary_(vocabulary) {}

  // The container kind `value` constructs, or nullopt.
  std::optional<std::string> container_kind(TSNode value) const {
    const std::string_view type = type_of(value);
    if (type == "dictionary" || type == "dictionary_comprehension")
      return "dict";
    if (type == "list" || type == "list_comprehension")
      return "list";
    if (type == "set" || type == "set_comprehension")
      return "set";
    if (type != "call")
      return std::nullopt;
    const auto callee = module_.qualify(field(value, "function"));
    if (!callee)
      return std::nullopt;
    const auto it = vocabulary_.containers.find(*callee);
    if (it == vocabulary_.containers.end())
      return std::nullopt;
    if (it->second == "deque") { // deque(iterable, maxlen) is bounded
      TSNode args = field(value, "arguments");
      int positional = 0;
      for (TSNode arg : named_children(args)) {
        if (type_of(arg) == "keyword_argument" && module_.text(field(arg, "name")) == "maxlen")
          return std::nullopt;
        positional += type_of(arg) != "keyword_argument" && type_of(arg) != "comment";
      }
      if (positional >= 2)
        return std::nullopt;
    }
    return it->second;
  }

  Use classify(const NodeInContext &at, const Candidate &c) const {
    const TSNode node = at.node;
    const TSNode parent = at.parent;
    const std::string_view type = type_of(parent);
    const TSNode grandparent = at.grandparent;
    if (type == "attribute" && is_field(parent, "object", node)) {
      if (type_of(grandparent) != "call" || !is_field(grandparent, "function", parent))
        return Use::Escape; // a bound method or attribute handed on
      const std::string_view method = module_.text(field(parent, "attribute"));
      if (vocabulary_.grow.contains(method))
        return Use::Grow;
      if (vocabulary_.shrink.contains(method))
        return Use::Shrink;
      return Use::Neutral; // get, items, keys, copy, ...
    }
    if (type == "subscript" && is_field(parent, "value", node)) {
      const bool slice = type_of(field(parent, "subscript")) == "slice";
      const std::string_view outer = type_of(grandparent);
      if (outer == "assignment" && is_field(grandparent, "left", parent)) {
        if (slice)
          return Use::Shrink;
        return c.kind == "list" || c.kind == "deque" ? Use::Neutral : Use::Grow; // x[i] = v
      }
      if (outer == "augmented_assignment" && is_field(grandparent, "left", parent))
        return c.counting ? Use::Grow : Use::Neutral;
      if (outer == "delete_statement" || outer == "expression_list") // del x[a], y[b]
        return Use::Shrink;
      return Use::Neutral; // reading an element
    }
    if (type == "assignment") {
      if (!is_field(parent, "left", node))
        return Use::Escape;                                                 // aliased: y = self.x
      return ts_node_eq(parent, c.assignment) ? Use::Neutral : Use::Shrink; // reset
    }
    if (type == "augmented_assignment" && is_field(parent, "left", node)) {
      const std::string_view op = module_.text(field(parent, "operator"));
      return op == "+=" || op == "|=" || op == "*=" ? Use::Grow : Use::Shrink;
    }
    if (type == "delete_statement" ||
        (type == "expression_list" && type_of(grandparent) == "delete_statement"))
      return Use::Shrink;
    if ((type == "for_statement" || type == "for_in_clause") && is_field(parent, "right", node))
      return Use::Neutral;
    if (type == "comparison_operator" || type == "not_operator" || type == "boolean_operator" ||
        type == "if_statement" || type == "while_statement" || type == "elif_clause" ||
        type == "expression_statement" || type == "assert_statement")
      return Use::Neutral;
    if (type == "argument_list") {
      // Builtins by what the name resolves to (an import of another `len` is not len).
      const auto callee = module_.qualify(field(grandparent, "function"));
      const std::string_view builtin =
          callee && callee->starts_with("builtins.") ? std::string_view(*callee).substr(9) : "";
      if (builtin == "len" && caps_size(grandparent, at.great_grandparent))
        return Use::SizeCheck;
      if (!builtin.empty() && vocabulary_.readers.contains(builtin))
        return Use::Neutral;
    }
    return Use::Escape;
  }

  // Whether code in `function` (null: module or class level) runs after start-up: in a function
  // other than a constructor. Growth at import time or while constructing is bounded by the code
  // itself (a table of constants, the arguments of one constructor call).
  bool runs_later(TSNode function) const {
    if (ts_node_is_null(function))
      return false;
    const std::string_view name = module_.text(field(function, "name"));
    if (name == "__init__" || name == "__new__" || name == "__post_init__" ||
        import_time().contains(name))
      return false;
    // Asked once per grow in the function: its body is walked once.
    const auto [it, fresh] = registers_.try_emplace(ts_node_start_byte(function), false);
    if (fresh)
      it->second = returns_first_parameter(function);
    return !it->second;
  }

  // `def register(fn): REGISTRY.add(fn); return fn` is a registration decorator: it runs as
  // modules are imported, once per decorated definition.
  bool returns_first_parameter(TSNode function) const {
    const TSNode first = ts_node_named_child(field(function, "parameters"), 0);
    if (type_of(first) != "identifier")
      return false;
    bool found = false;
    for_each_node(field(function, "body"), [&](TSNode node) {
      if (type_of(node) == "function_definition" || type_of(node) == "lambda")
        return false;
      if (type_of(node) == "return_statement") {
        const TSNode value = ts_node_named_child(node, 0);
        found |= type_of(value) == "identifier" && module_.text(value) == module_.text(first);
      }
      return !found;
    });
    return found;
  }

  // Whether `len(x)` is compared as a cap: `len(x) < limit` or `limit > len(x)`.
  bool caps_size(TSNode len_call, TSNode comparison) const {
    if (type_of(comparison) != "comparison_operator")
      return false;
    const std::string_view text = module_.source().text();
    const size_t start = ts_node_start_byte(len_call), end = ts_node_end_byte(len_call);
    const size_t after = text.find_first_not_of(" \t", end);
    const size_t before = text.find_last_not_of(" \t", start == 0 ? 0 : start - 1);
    const bool less_after =
        after < ts_node_end_byte(comparison) && text[after] == '<' && text.substr(after, 2) != "<<";
    const bool greater_before = before != std::string_view::npos &&
                                before >= ts_node_start_byte(comparison) && text[before] == '>' &&
                                text.substr(before == 0 ? 0 : before - 1, 2) != ">>";
    return less_after || greater_before;
  }

  void tally(Candidate &c, const NodeInContext &at, TSNode function) const {
    switch (classify(at, c)) {
    case Use::Grow:
      if (!c.grows_at && runs_later(function))
        c.grows_at = at.node;
      break;
    case Use::Shrink:
      c.shrinks = true;
      break;
    case Use::Escape:
      c.escapes = true;
      break;
    case Use::SizeCheck:
      c.size_checked = true;
      break;
    case Use::Neutral:
      break;
    }
  }

  void report(const Candidate &c, std::string_view what, CheckContext &context) const {
    if (!c.grows_at || c.shrinks || c.escapes || c.size_checked)
      return;
    const int line = module_.span(*c.grows_at).start.line;
    context.report(
        module_.span(c.target),
        fmt::format("{} (a {}) is added to (line {}) but never removed from, so it grows "
                    "for as long as the process runs: remove entries when they are "
                    "done with (del, pop, discard){}",
                    what, c.kind, line,
                    c.kind == "deque" ? ", or give the deque a maxlen" : ", or bound it"),
        c.kind == "deque" ? maxlen_fix(c, context) : std::nullopt);
  }

  // A deque is bounded by a maxlen: --fix passes the `fix-maxlen` option's value.
  std::optional<Fix> maxlen_fix(const Candidate &c, const CheckContext &context) const {
    const TSNode constructor = field(c.assignment, "right");
    const nlohmann::json &option = context.option("fix-maxlen");
    if (!option.is_number_integer())
      return std::nullopt;
    for (const Call &call : module_.calls()) {
      if (!ts_node_eq(call.node, constructor))
        continue;
      std::vector<Edit> edits = set_argument(module_, call, "maxlen", 1, option.dump());
      if (edits.empty())
        return std::nullopt;
      return Fix{fmt::format("pass maxlen={}", option.dump()), std::move(edits)};
    }
    return std::nullopt;
  }

  void check_class(TSNode klass, CheckContext &context) const {
    const std::string class_name(module_.text(field(klass, "name")));
    TSNode body = field(klass, "body");
    std::vector<Candidate> candidates;
    std::vector<std::pair<TSNode, std::string>> methods; // function, its first parameter
    bool has_async_method = false;
    auto add = [&](std::string name, TSNode target, TSNode assignment, const std::string &kind) {
      for (const Candidate &c : candidates)
        if (c.name == name)
          return;
      candidates.push_back(make_candidate(std::move(name), kind, target, assignment));
    };
    for (TSNode statement : named_children(body)) {
      if (type_of(statement) == "decorated_definition")
        statement = field(statement, "definition");
      if (type_of(statement) == "function_definition") {
        has_async_method |= is_async(statement);
        TSNode parameters = field(statement, "parameters");
        TSNode first = ts_node_named_child(parameters, 0);
        methods.emplace_back(statement, type_of(first) == "identifier"
                                            ? std::string(module_.text(first))
                                            : std::string());
      } else if (type_of(statement) == "expression_statement") {
        TSNode assignment = ts_node_named_child(statement, 0);
        TSNode left = field(assignment, "left");
        if (type_of(assignment) == "assignment" && type_of(left) == "identifier")
          if (auto kind = container_kind(field(assignment, "right"))) {
            add(std::string(module_.text(left)), left, assignment, *kind);
            candidates.back().class_level = true;
          }
      }
    }
    // Instance attributes only matter in long-lived classes (see instantiated_at_module_level),
    // and in those the rule's targets (a config) name.
    const bool long_lived =
        has_async_method || instantiated_at_module_level(class_name) ||
        std::any_of(vocabulary_.long_lived.begin(), vocabulary_.long_lived.end(),
                    [&](const std::string &qualified) {
                      return names_class(qualified, module_.source().path(), class_name);
                    });
    for (const auto &[method, self] : methods) {
      if (!long_lived || module_.text(field(method, "name")) != "__init__" || self.empty())
        continue;
      for_each_node(field(method, "body"), [&](TSNode node) {
        const std::string_view type = type_of(node);
        if (type == "function_definition" || type == "class_definition" || type == "lambda")
          return false;
        TSNode left = field(node, "left");
        if (type == "assignment" && type_of(left) == "attribute" &&
            module_.text(field(left, "object")) == self)
          if (auto kind = container_kind(field(node, "right")))
            add(std::string(module_.text(field(left, "attribute"))), left, node, *kind);
        return true;
      });
    }
    if (candidates.empty())
      return;
    for (const auto &[method, self] : methods) {
      walk_with_parents(field(method, "body"), [&](const NodeInContext &at) {
        if (type_of(at.node) == "class_definition")
          return false; // its methods have a `self` of their own
        if (type_of(at.node) != "attribute")
          return true;
        const std::string_view object = module_.text(field(at.node, "object"));
        if (object != self && object != "cls" && object != class_name)
          return true;
        const std::string_view attribute = module_.text(field(at.node, "attribute"));
        for (Candidate &c : candidates)
          if (c.name == attribute)
            tally(c, at, method);
        return true;
      });
    }
    for (const Candidate &c : candidates) // a class attribute lives as long as its class
      report(c, fmt::format("{}.{}", c.class_level ? class_name : "self", c.name), context);
  }

  // Instances of most classes are short-lived (builders, parsers, requests), and their containers
  // die with them. A class is taken to be long-lived when the module makes an instance at its top
  // level (`hub = Hub()`) or when it has `async` methods (services, connection hubs).
  // The names the module calls in its top-level assignments are computed once, on first use.
  bool instantiated_at_module_level(std::string_view class_name) const {
    if (!module_level_calls_) {
      module_level_calls_.emplace();
      for (TSNode statement : named_children(module_.root())) {
        const TSNode assignment = ts_node_named_child(statement, 0);
        const TSNode right = field(assignment, "right");
        if (type_of(assignment) == "assignment" && type_of(right) == "call")
          module_level_calls_->emplace(module_.text(field(right, "function")));
      }
    }
    return module_level_calls_->contains(class_name);
  }

  void check_globals(CheckContext &context) const {
    std::vector<Candidate> candidates;
    const TSNode root = module_.root();
    for (TSNode statement : named_children(root)) {
      TSNode assignment = ts_node_named_child(statement, 0);
      TSNode left = field(assignment, "left");
      if (type_of(assignment) == "assignment" && type_of(left) == "identifier")
        if (auto kind = container_kind(field(assignment, "right"))) {
          std::string name(module_.text(left));
          const bool known = std::any_of(candidates.begin(), candidates.end(),
                                         [&](const Candidate &c) { return c.name == name; });
          if (known) // assigned again at module level: a reset, which counts as a shrink
            continue;
          candidates.push_back(make_candidate(std::move(name), *kind, left, assignment));
        }
    }
    std::map<std::pair<uint32_t, std::string_view>, bool> shadowed; // (scope, name)
    for (Candidate &c : candidates) {
      for (const NameUse &use : module_.uses_of_global(c.name)) {
        if (!refers(use.at))
          continue;
        // The innermost function the use is in, unless a function on the way out has a local of
        // that name (then the use is not of the global at all).
        TSNode function{};
        bool local = false;
        for (uint32_t scope = use.scope; scope != kModuleScope && !local;
             scope = module_.enclosing_scope(scope)) {
          const TSNode node = module_.scope_node(scope);
          if (type_of(node) == "class_definition")
            continue;
          if (ts_node_is_null(function))
            function = node;
          auto [it, fresh] = shadowed.try_emplace({scope, c.name}, false);
          if (fresh)
            it->second = shadows(node, c.name);
          local = it->second;
        }
        if (!local)
          tally(c, use.at, function);
      }
    }
    for (const Candidate &c : candidates)
      report(c, fmt::format("module global {}", c.name), context);
  }

private:
  // Whether an identifier is a reference (not a name being defined, an attribute, a keyword).
  bool refers(const NodeInContext &at) const {
    const std::string_view type = type_of(at.parent);
    if (type == "attribute")
      return is_field(at.parent, "object", at.node);
    if (type == "keyword_argument")
      return !is_field(at.parent, "name", at.node);
    static const std::set<std::string_view> kDefinitions = {
        "function_definition", "class_definition",   "parameters",
        "default_parameter",   "typed_parameter",    "typed_default_parameter",
        "dotted_name",         "aliased_import",     "global_statement",
        "nonlocal_statement",  "list_splat_pattern", "dictionary_splat_pattern"};
    return !kDefinitions.contains(type);
  }

  // Whether `name` is local to `function`: a parameter, or assigned there without `global`.
  bool shadows(TSNode function, std::string_view name) const {
    bool local = false, global = false;
    for_each_node(field(function, "parameters"), [&](TSNode node) {
      local |= type_of(node) == "identifier" && module_.text(node) == name;
      return true;
    });
    for_each_node(field(function, "body"), [&](TSNode node) {
      const std::string_view type = type_of(node);
      if (type == "function_definition" || type == "class_definition" || type == "lambda")
        return false;
      if (type == "global_statement" || type == "nonlocal_statement")
        for (TSNode declared : named_children(node))
          global |= module_.text(declared) == name;
      if (type == "assignment" || type == "augmented_assignment" || type == "for_statement") {
        TSNode left = field(node, "left");
        local |= type_of(left) == "identifier" && module_.text(left) == name;
      }
      return true;
    });
    return local && !global;
  }

  // Module-level functions that the module itself calls while it is imported (directly, or from
  // such a function): `def def_op(name, op): opmap[name] = op` followed by `def_op("NOP", 9)`.
  // Computed on first use: most modules never ask.
  const std::set<std::string, std::less<>> &import_time() const {
    if (!import_time_) {
      import_time_.emplace();
      find_import_time_functions(*import_time_);
    }
    return *import_time_;
  }

  void find_import_time_functions(std::set<std::string, std::less<>> &import_time) const {
    std::map<std::string, TSNode, std::less<>> functions;
    const TSNode root = module_.root();
    for (TSNode statement : named_children(root)) {
      if (type_of(statement) == "decorated_definition")
        statement = field(statement, "definition");
      if (type_of(statement) == "function_definition")
        functions[std::string(module_.text(field(statement, "name")))] = statement;
    }
    std::vector<TSNode> pending = {root};
    while (!pending.empty()) {
      const TSNode scope = pending.back();
      pending.pop_back();
      for_each_node(ts_node_eq(scope, root) ? root : field(scope, "body"), [&](TSNode node) {
        if (type_of(node) == "function_definition" || type_of(node) == "lambda")
          return false;
        if (type_of(node) == "call") {
          const std::string name(module_.text(field(node, "function")));
          auto it = functions.find(name);
          if (it != functions.end() && import_time.insert(name).second)
            pending.push_back(it->second);
        }
        return true;
      });
    }
  }

  const Module &module_;
  const Vocabulary &vocabulary_;
  mutable std::optional<std::set<std::string, std::less<>>> import_time_;
  mutable std::optional<std::set<std::string_view, std::less<>>> module_level_calls_;
  mutable std::unordered_map<uint32_t, bool> registers_; // by function: a registration decorator
};

class GrowOnlyContainer final : public PythonCheck {
public:
  using Targets = Vocabulary;
  static Vocabulary parse_targets(const TargetReader &targets, const Rule &) {
    return build_vocabulary(targets);
  }

  void check(const Module &module, CheckContext &context) const override {
    const Vocabulary *vocabulary = &context.targets<GrowOnlyContainer>();
    const Analysis analysis(module, *vocabulary);
    analysis.check_globals(context);
    for (TSNode klass : module.classes())
      analysis.check_class(klass, context);
  }
};

} // namespace

LEASH_REGISTER_CHECK(PythonCheck, GrowOnlyContainer, "grow-only-container");

} // namespace leash::python
