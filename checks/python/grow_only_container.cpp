// grow-only-container for Python: instance attributes (assigned in __init__ or the class body) and
// module globals holding a container that their class or module grows and never shrinks. Every
// use of the container is classified; one that could hand it to other code (an argument, a return
// value, an alias) means leash cannot see all the removals, and the container is left alone.
#include "core/strings.h"
#include "frontend/python/edit.h"
#include "frontend/python/python_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace leash::python {

namespace {

struct Vocabulary {
  std::map<std::string, std::string, std::less<>> containers; // constructor -> kind
  std::set<std::string, std::less<>> grow, shrink, readers;
  std::vector<std::string> long_lived; // "pkg.module.Class": instances live for the process
  // Classes whose class-level assignments are per-instance field defaults: by a decorator's or a
  // base class's qualified name.
  std::set<std::string, std::less<>> field_decorators, field_bases;
  std::set<std::string, std::less<>> setup_words; // words of a set-up function's name
  // What makes a dict's keys keep changing: words of the names a key is made of, and calls.
  std::set<std::string, std::less<>> identity_words, identity_calls;
  // Words that end a name without saying what thing it is about (`peer_info`, `session_key`,
  // `exchange_manager`): a name is about the word before them, its head.
  std::set<std::string, std::less<>> suffix_words;
  // Heads of names for one of a few values (`request_method`, `time_frame`): such a name is not
  // an identity for the identity words before its head.
  std::set<std::string, std::less<>> kind_words;
  // Words of names for things a deployment has a bounded number of (`guild_id`, `shard.id`): a
  // key made of one is bounded, whatever identity word goes with it.
  std::set<std::string, std::less<>> entity_words;
  // Words of class names whose objects live for one connection or request (`SessionBase`): not
  // taken to live as long as the process for their async methods alone.
  std::set<std::string, std::less<>> short_lived_words;
  // Methods of objects used for one block (`with`, `for`): context managers and iterators.
  std::set<std::string, std::less<>> scoped_methods;
};

// The schema of targets.python (see rules/grow-only-container.yaml).
Vocabulary build_vocabulary(const TargetReader &targets) {
  Vocabulary v;
  const auto r =
      targets.record({"containers", "grow", "shrink", "readers", "long_lived", "field_classes",
                      "setup_words", "identity_words", "identity_calls", "suffix_words",
                      "kind_words", "entity_words", "short_lived_words", "scoped_methods"});
  for (const auto &[callee, kind] : r.required("containers").entries())
    v.containers[callee] =
        kind.one_of({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"});
  for (const auto &[key, set] : {std::pair{"grow", &v.grow}, std::pair{"shrink", &v.shrink},
                                 std::pair{"readers", &v.readers}})
    for (const std::string &name : r.required(key).strings())
      set->insert(name);
  const auto fields = r.required("field_classes").record({"decorators", "bases"});
  for (const auto &[key, set] :
       {std::pair{"decorators", &v.field_decorators}, std::pair{"bases", &v.field_bases}})
    for (const std::string &name : fields.required(key).strings())
      set->insert(name);
  for (const auto &[key, set] :
       {std::pair{"setup_words", &v.setup_words}, std::pair{"identity_words", &v.identity_words},
        std::pair{"suffix_words", &v.suffix_words}, std::pair{"kind_words", &v.kind_words},
        std::pair{"entity_words", &v.entity_words},
        std::pair{"short_lived_words", &v.short_lived_words}})
    *set = r.required(key).words();
  for (const std::string &name : r.required("identity_calls").strings())
    v.identity_calls.insert(name);
  for (const std::string &name : r.required("scoped_methods").strings())
    v.scoped_methods.insert(name);
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

// CallsItems: `for hook in x: hook()`, a container of callbacks.
enum class Use { Neutral, Grow, GrowElement, Shrink, Escape, SizeCheck, CallsItems };

struct Candidate {
  std::string name;
  std::string kind;
  TSNode target;             // the first assignment's target: where it is reported
  TSNode assignment;         // that assignment
  bool counting = false;     // defaultdict/Counter: `x[k] += 1` adds k
  bool class_level = false;  // a class attribute (shared by all instances)
  bool size_checked = false; // `len(x) < limit` somewhere: growth is guarded by a bound
  // Its items are called (`for hook in x: hook()`): callbacks, added as they are registered.
  bool holds_callbacks = false;
  bool shrinks = false, escapes = false;
  std::optional<TSNode> grows_at;
  TSNode grows_in{};        // the function of the growth (null when at module or class level)
  bool grows_in_one = true; // every unbounded growth is in that one function
  // Its elements are containers the code makes (`x[k] = {}`, a defaultdict), and one of them is
  // added to by keys the code does not bound (`x[guild][member] = v`): growth too.
  bool holds_containers = false;
  std::optional<TSNode> element_grows_at;
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
      // Entries removed from an element fetched by key (`x.setdefault(k, set()).remove(v)`,
      // `x.get(k).discard(v)`): what x holds per key is pruned, as with `x[k].remove(v)`.
      if ((method == "setdefault" || method == "get") &&
          type_of(at.great_grandparent) == "attribute" &&
          is_field(at.great_grandparent, "object", grandparent) &&
          vocabulary_.shrink.contains(module_.text(field(at.great_grandparent, "attribute"))))
        return Use::Shrink;
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
      // Entries removed from an element (`del x[a][b]`, `x[a].pop(b)`): what x holds per key is
      // pruned, and its keys are those the pruned entries are filed under. Entries added to one
      // (`x[guild][member] = v`) grow it by their own keys.
      const std::string_view beyond = type_of(at.great_grandparent);
      if (outer == "subscript" && is_field(grandparent, "value", parent)) {
        if (beyond == "assignment" && is_field(at.great_grandparent, "left", grandparent))
          return Use::GrowElement;
        if (beyond == "delete_statement")
          return Use::Shrink;
      }
      if (outer == "attribute" && is_field(grandparent, "object", parent) && beyond == "call" &&
          vocabulary_.shrink.contains(module_.text(field(grandparent, "attribute"))))
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
      return calls_loop_variable(parent, type == "for_statement" ? field(parent, "body")
                                                                 : field(grandparent, "body"))
                 ? Use::CallsItems
                 : Use::Neutral;
    // Placed into a response the function returns (`return {"counts": self.counts}`): read for
    // the reply, not handed to code that could prune it.
    if (type == "pair" && is_field(parent, "value", node) && type_of(grandparent) == "dictionary" &&
        type_of(at.great_grandparent) == "return_statement")
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
        import_time().contains(is_method(function) ? method_key(name) : name) || names_setup(name))
      return false;
    // Asked once per grow in the function: its body is walked once.
    const auto [it, fresh] = registers_.try_emplace(ts_node_start_byte(function), false);
    if (fresh) {
      it->second = true; // while it is worked out, a call back to it counts as set-up
      it->second = returns_first_parameter(function) || called_only_in_setup(function);
    }
    return !it->second;
  }

  // Whether `function` runs only while something is set up: a method called only from the
  // class's own set-up (`self._add_middleware(m)` in __init__), or a function nested in set-up
  // code and only called there (`def add_phase(...)` in register_task_phase). One that is never
  // called where leash can see is someone's API, and not known to be set-up.
  bool called_only_in_setup(TSNode function) const {
    const TSNode definition = definition_of(function);
    const TSNode around = parent_of(parent_of(definition)); // the class or function it is in
    if (type_of(around) != "class_definition" && type_of(around) != "function_definition")
      return false;
    const auto &mentions = mentions_in(around);
    const auto it = mentions.find(module_.text(field(function, "name")));
    if (it == mentions.end() || it->second.otherwise || it->second.called_from.empty())
      return false;
    return std::none_of(it->second.called_from.begin(), it->second.called_from.end(),
                        [&](TSNode caller) { return runs_later(caller); });
  }

  // How the code of a class (its methods' `self.name`) or of a function (a bare `name`) mentions
  // each name: called, from which function (null: the class body), or otherwise (handed on as a
  // callback: it may run at any time). Worked out once per class or function.
  struct Mentions {
    std::vector<TSNode> called_from;
    bool otherwise = false;
  };
  const std::unordered_map<std::string_view, Mentions> &mentions_in(TSNode around) const {
    auto [entry, fresh] = mentions_.try_emplace(ts_node_start_byte(around));
    if (!fresh)
      return entry->second;
    auto &mentions = entry->second;
    const bool method = type_of(around) == "class_definition";
    std::vector<std::pair<TSNode, TSNode>> pending = {
        {field(around, "body"), method ? TSNode{} : around}}; // code, the function it runs in
    while (!pending.empty()) {
      const auto [code, function] = pending.back();
      pending.pop_back();
      walk_with_parents(code, [&](const NodeInContext &at) {
        const std::string_view type = type_of(at.node);
        if (type == "function_definition" || type == "lambda") {
          pending.emplace_back(field(at.node, "body"), at.node);
          return false;
        }
        if (type == "class_definition")
          return false; // its methods have a `self` of their own
        std::string_view name;
        if (method && type == "attribute") {
          const std::string_view object = module_.text(field(at.node, "object"));
          if (object == "self" || object == "cls")
            name = module_.text(field(at.node, "attribute"));
        } else if (!method && type == "identifier" &&
                   !(type_of(at.parent) == "attribute" &&
                     is_field(at.parent, "attribute", at.node)) &&
                   !(type_of(at.parent) == "keyword_argument" &&
                     is_field(at.parent, "name", at.node))) {
          name = module_.text(at.node); // a name, not `x.name` or `f(name=...)`
        }
        if (name.empty())
          return true;
        Mentions &m = mentions[name];
        if (type_of(at.parent) == "call" && is_field(at.parent, "function", at.node))
          m.called_from.push_back(function);
        else
          m.otherwise = true;
        return false;
      });
    }
    return mentions;
  }

  // `def register(fn): REGISTRY.add(fn); return fn` is a registration decorator: it runs as
  // modules are imported, once per decorated definition.
  bool returns_first_parameter(TSNode function) const {
    // A method's first parameter is its object (`def on_startup(self, fn): ...; return fn`).
    const TSNode definition = definition_of(function);
    bool method = type_of(parent_of(parent_of(definition))) == "class_definition";
    if (method && !ts_node_eq(definition, function))
      for (TSNode decorator : named_children(definition))
        method &= !(type_of(decorator) == "decorator" &&
                    module_.qualify(ts_node_named_child(decorator, 0)) == "builtins.staticmethod");
    const auto parameters = named_children(field(function, "parameters"));
    const size_t index = method ? 1 : 0;
    if (parameters.size() <= index)
      return false;
    TSNode first = parameters[index];
    if (type_of(first) == "typed_parameter" || type_of(first) == "default_parameter" ||
        type_of(first) == "typed_default_parameter") // `cls: type`, `fn=None`
      first = type_of(first) == "typed_parameter" ? ts_node_named_child(first, 0)
                                                  : field(first, "name");
    if (type_of(first) != "identifier")
      return false;
    return any_returned(function, [&](TSNode value) {
      return type_of(value) == "identifier" && module_.text(value) == module_.text(first);
    });
  }

  // Whether `test` holds of a value `function` itself returns (not a nested function or lambda).
  template <class Test> static bool any_returned(TSNode function, Test test) {
    bool found = false;
    for_each_node(field(function, "body"), [&](TSNode node) {
      if (type_of(node) == "function_definition" || type_of(node) == "lambda")
        return false;
      if (type_of(node) == "return_statement" && ts_node_named_child_count(node) > 0)
        found = test(ts_node_named_child(node, 0));
      return !found;
    });
    return found;
  }

  // Whether a function's name says it is set-up code (`_autotracker_setup`, `locales_initialize`,
  // `setUp`): see names_any_word.
  bool names_setup(std::string_view name) const {
    return names_any_word(name, vocabulary_.setup_words);
  }

  // The words of the last part of a (dotted) name: `ctx.guild_id` has `guild` and `id`.
  static std::vector<std::string> last_words(std::string_view name) {
    const size_t dot = name.rfind('.');
    return identifier_words(dot == std::string_view::npos ? name : name.substr(dot + 1));
  }

  // Whether the last part of a (dotted) name has one of `words`: `ctx.guild` has `guild`.
  static bool has_word(std::string_view name, const std::set<std::string, std::less<>> &words) {
    const auto parts = last_words(name);
    return std::any_of(parts.begin(), parts.end(),
                       [&](const std::string &word) { return words.contains(word); });
  }

  // Where a name's head is among the words of its last part: the last word that is not a suffix
  // word (`peer` in `peer_info`, `frame` in `time_frame`); past one identity word too when
  // `skip_identity` is set (`guild` in `guild_id`, `exchange` in `exchange_manager_id`; `user` in
  // `guild_user_id`). words.size() when every word is skipped.
  size_t head_index(const std::vector<std::string> &words, bool skip_identity) const {
    size_t at = words.size();
    const auto skip_suffixes = [&] {
      while (at > 0 && vocabulary_.suffix_words.contains(words[at - 1]))
        --at;
    };
    skip_suffixes();
    if (skip_identity && at > 1 && vocabulary_.identity_words.contains(words[at - 1])) {
      --at;
      skip_suffixes();
    }
    return at == 0 ? words.size() : at - 1;
  }

  // Whether a name names one of a bounded set of things: its head, past an identity word, is an
  // entity word (`guild`, `ctx.guild`, `source_topic`, `guild_id`, `exchange_manager`; not
  // `exchange_order_id`, an order's).
  bool names_entity(std::string_view name) const {
    const auto words = last_words(name);
    const size_t head = head_index(words, true);
    return head < words.size() && vocabulary_.entity_words.contains(words[head]);
  }

  // Whether a name names an identity: its head is an identity word (`user_id`, `peer_info`), or
  // another of its words is and its head is not a kind word (`user_email`, `request_path`; not
  // `time_frame` or `request_method`, one of a few).
  bool names_identity(std::string_view name) const {
    const auto words = last_words(name);
    const size_t head = head_index(words, false);
    if (head == words.size())
      return false;
    if (vocabulary_.identity_words.contains(words[head]))
      return true;
    return !vocabulary_.kind_words.contains(words[head]) &&
           std::any_of(
               words.begin(), words.begin() + static_cast<std::ptrdiff_t>(head),
               [&](const std::string &word) { return vocabulary_.identity_words.contains(word); });
  }

  // Whether a key can keep taking new values: it names an identity (names_identity: `user_id`,
  // `token`, `request.path`, `user_email`; not `time_frame` or `request_method`), or is
  // made by an identity call (`id(x)`, `uuid.uuid4()`, `time.time()`), itself or through what the
  // function assigns to the locals it is made of. Keys without one (`camera`, `job_type`,
  // `route_key`) are taken to come from a set the code or its configuration fixes.
  bool identity_key(TSNode key, TSNode function, int depth = 0) const {
    bool found = false;
    walk_with_parents(key, [&](const NodeInContext &at) {
      const std::string_view type = type_of(at.node);
      if (found || type == "lambda" || type == "string")
        return false;
      // `guild.id`, `guild_id`, `self.shard_id`: one of a bounded set of things.
      if (type == "attribute" && names_entity(module_.text(field(at.node, "object"))))
        return false;
      if (type == "identifier" && names_entity(module_.text(at.node)))
        return false;
      const std::string_view parent = type_of(at.parent);
      if (type == "call") {
        const auto callee = module_.qualify(field(at.node, "function"));
        found = callee && vocabulary_.identity_calls.contains(*callee);
      } else if (type == "identifier" &&
                 !(parent == "keyword_argument" && is_field(at.parent, "name", at.node))) {
        found = names_identity(module_.text(at.node));
        if (!found && depth < 3 && !ts_node_is_null(function) &&
            !(parent == "attribute" && is_field(at.parent, "attribute", at.node)))
          for (TSNode value : local_values(function, module_.text(at.node)))
            found |= identity_key(value, function, depth + 1);
      }
      return !found;
    });
    return found;
  }

  // What `function` assigns to its local `name` (`name = value`, `for name in value`).
  std::vector<TSNode> local_values(TSNode function, std::string_view name) const {
    std::vector<TSNode> values;
    for_each_node(field(function, "body"), [&](TSNode node) {
      const std::string_view type = type_of(node);
      if (type == "function_definition" || type == "class_definition" || type == "lambda")
        return false;
      if ((type == "assignment" || type == "for_statement") &&
          type_of(field(node, "left")) == "identifier" && module_.text(field(node, "left")) == name)
        values.push_back(field(node, "right"));
      return true;
    });
    return values;
  }

  // Whether a key names one of a bounded set of things: a literal, a constant (`MAX_SIZE`,
  // `Color.RED`), a class object (`type(x)`, `x.__class__`, `cls`), a definition's name
  // (`fn.__name__`), or a tuple of those.
  bool bounded_key(TSNode key) const {
    const std::string_view type = type_of(key);
    if (type == "integer" || type == "float" || type == "true" || type == "false" || type == "none")
      return true;
    if (type == "string")
      return module_.string(key).has_value();
    if (type == "concatenated_string" || type == "tuple" || type == "parenthesized_expression") {
      const auto parts = named_children(key);
      return !parts.empty() && std::all_of(parts.begin(), parts.end(), [&](TSNode part) {
        return type_of(part) == "comment" || bounded_key(part);
      });
    }
    if (type == "identifier")
      return module_.text(key) == "cls" || constant_name(module_.text(key));
    if (type == "attribute") {
      const std::string_view attribute = module_.text(field(key, "attribute"));
      return attribute == "__class__" || attribute == "__name__" || attribute == "__qualname__" ||
             constant_name(attribute);
    }
    if (type == "call") {
      const auto callee = module_.qualify(field(key, "function"));
      return callee == "builtins.type" && named_children(field(key, "arguments")).size() == 1;
    }
    return false;
  }

  // `MAX_SIZE`, `RED`: upper-case letters, digits and underscores, with two letters at least.
  static bool constant_name(std::string_view name) {
    int letters = 0;
    for (char c : name) {
      if (c >= 'a' && c <= 'z')
        return false;
      letters += c >= 'A' && c <= 'Z';
    }
    return letters >= 2;
  }

  // The key (or added member) of a growth, when it names one: `x[k] = v`, `x[k] += 1`,
  // `x.setdefault(k, v)`, `x.add(k)`; a null node otherwise (`append` adds another item whatever
  // it is).
  TSNode growth_key(const NodeInContext &at) const {
    if (type_of(at.parent) == "subscript") {
      if (type_of(at.grandparent) == "subscript" && is_field(at.grandparent, "value", at.parent))
        return field(at.grandparent, "subscript"); // x[a][b] = v: by b
      return field(at.parent, "subscript");
    }
    const std::string_view method = module_.text(field(at.parent, "attribute"));
    if (method != "setdefault" && method != "__setitem__" && method != "add")
      return TSNode{};
    const TSNode first = ts_node_named_child(field(at.grandparent, "arguments"), 0);
    return type_of(first) == "keyword_argument" ? TSNode{} : first;
  }

  // Whether `x.update(...)` writes only keys the code names: keyword arguments (`update(a=1)`),
  // or a dict display whose keys are all bounded (`update({"status": s, "score": v})`).
  bool updates_bounded_keys(const NodeInContext &at) const {
    const auto arguments = named_children(field(at.grandparent, "arguments"));
    if (arguments.empty())
      return false;
    return std::all_of(arguments.begin(), arguments.end(), [&](TSNode argument) {
      if (type_of(argument) == "keyword_argument" || type_of(argument) == "comment")
        return true;
      if (type_of(argument) != "dictionary")
        return false;
      const auto pairs = named_children(argument);
      return std::all_of(pairs.begin(), pairs.end(), [&](TSNode pair) {
        return type_of(pair) == "comment" ||
               (type_of(pair) == "pair" && bounded_key(field(pair, "key")));
      });
    });
  }

  // Whether a growth in `function` is bounded by the code around it: its key is bounded, it
  // replaces a key already present (`if k not in x: raise` or `continue` before it, or under
  // `if k in x:`), or it fills the container once (under `if not x:`, or after `if x: return`).
  bool bounded_growth(const NodeInContext &at, const Candidate &c, TSNode function) const {
    const TSNode key = growth_key(at);
    if (!ts_node_is_null(key) && bounded_key(key))
      return true;
    if (type_of(at.parent) == "attribute" &&
        module_.text(field(at.parent, "attribute")) == "update" && updates_bounded_keys(at))
      return true;
    const bool keyed = c.kind != "list" && c.kind != "deque" && c.kind != "set";
    if (keyed && !ts_node_is_null(key) && !identity_key(key, function))
      return true;
    // A set holds one of each: added an entity (`topics.add(source_topic)`), it is bounded.
    if (!ts_node_is_null(key) && (type_of(key) == "identifier" || type_of(key) == "attribute") &&
        names_entity(module_.text(key)))
      return true;
    const std::string_view container = module_.text(at.node);
    const std::string_view method =
        type_of(at.parent) == "attribute" ? module_.text(field(at.parent, "attribute")) : "";
    if ((c.kind == "list" && method == "append") || (c.kind == "set" && method == "add")) {
      // A list or set added to only what it lacks (`if x not in seen: seen.append(x)`, or
      // after `if x in seen: continue`; a warn-once set) holds one item per distinct value:
      // judged by its values as a dict is by its keys.
      const TSNode value = ts_node_named_child(field(at.grandparent, "arguments"), 0);
      const std::string_view value_text = module_.text(value);
      if (guarded(
              at.node, function,
              [&](TSNode condition) { return in_test(condition, value_text, container, "not in"); },
              [&](TSNode condition) { return in_test(condition, value_text, container, "in"); }))
        return bounded_key(value) || !identity_key(value, function);
    }
    if ((c.kind == "list" || c.kind == "deque") && method == "extend") {
      // Extended only by what it lacks (`x.extend(t for t in topics if t not in x)`): judged by
      // its values too.
      TSNode items = field(at.grandparent, "arguments"); // `f(t for t in ...)`: the generator
      if (type_of(items) == "argument_list")
        items = ts_node_named_child(items, 0);
      const std::string_view type = type_of(items);
      if (type == "generator_expression" || type == "list_comprehension") {
        const TSNode value = field(items, "body");
        for (TSNode clause : named_children(items))
          if (type_of(clause) == "if_clause" &&
              in_test(ts_node_named_child(clause, 0), module_.text(value), container, "not in"))
            return bounded_key(value) || !identity_key(value, function);
      }
    }
    const std::string_view key_text = ts_node_is_null(key) ? "" : module_.text(key);
    // A condition that holds only while `x` is empty, or only for a key `x` already has.
    const auto empty_or_present = [&](TSNode condition) {
      if (type_of(condition) == "not_operator")
        return module_.text(field(condition, "argument")) == container;
      if (is_empty_test(condition, container))
        return true;
      return !key_text.empty() && in_test(condition, key_text, container, "in");
    };
    // A condition under which the code skips the growth when `x` is filled, or lacks the key.
    const auto skips_unless = [&](TSNode condition) {
      return module_.text(condition) == container ||
             (!key_text.empty() && in_test(condition, key_text, container, "not in"));
    };
    return guarded(at.node, function, empty_or_present, skips_unless);
  }

  // Whether `node` (in `function`) runs only under a condition `around` accepts (an `if` whose
  // consequence holds it), or past one `before` accepts (an `if`, earlier in a block around it,
  // that skips the rest of that block: it returns, raises, continues or breaks).
  template <class Around, class Before>
  bool guarded(TSNode node, TSNode function, Around around, Before before) const {
    for (TSNode child = node, parent = parent_of(child);
         !ts_node_is_null(parent) && !ts_node_eq(parent, function);
         child = parent, parent = parent_of(parent)) {
      if (type_of(parent) == "if_statement" && is_field(parent, "consequence", child) &&
          any_operand(field(parent, "condition"), "and", around))
        return true;
      if (type_of(parent) != "block")
        continue;
      for (TSNode statement : named_children(parent)) { // the block's statements before
        if (ts_node_eq(statement, child))
          break;
        if (type_of(statement) == "if_statement" && skips_rest(field(statement, "consequence")) &&
            any_operand(field(statement, "condition"), "or", before))
          return true;
      }
    }
    return false;
  }

  // Whether `test` holds of `condition`, or of one of its operands joined by `op` (`and`: each
  // holds whenever the whole does; `or`: the whole holds whenever one does), parentheses aside.
  template <class Test>
  bool any_operand(TSNode condition, std::string_view op, const Test &test) const {
    while (type_of(condition) == "parenthesized_expression")
      condition = ts_node_named_child(condition, 0);
    if (test(condition))
      return true;
    return type_of(condition) == "boolean_operator" &&
           type_of(field(condition, "operator")) == op &&
           (any_operand(field(condition, "left"), op, test) ||
            any_operand(field(condition, "right"), op, test));
  }

  // Whether `value` makes a container that can grow: a dict, list or set display, or a call of
  // one of the rule's container constructors (not a bounded cache such as `TTLCache(maxsize=)`).
  bool makes_container(TSNode value) const {
    const std::string_view type = type_of(value);
    if (type == "dictionary" || type == "list" || type == "set")
      return true;
    if (type != "call")
      return false;
    const auto callee = module_.qualify(field(value, "function"));
    return callee && vocabulary_.containers.contains(*callee);
  }

  // Whether `condition` is `len(<container>) == 0` (or `0 == len(...)`, `len(...) < 1`).
  bool is_empty_test(TSNode condition, std::string_view container) const {
    if (type_of(condition) != "comparison_operator")
      return false;
    const auto operands = named_children(condition);
    if (operands.size() != 2)
      return false;
    const auto is_len = [&](TSNode call) {
      if (type_of(call) != "call" || module_.qualify(field(call, "function")) != "builtins.len")
        return false;
      const auto args = named_children(field(call, "arguments"));
      return args.size() == 1 && module_.text(args[0]) == container;
    };
    const std::string_view op = type_of(field(condition, "operators"));
    const std::string_view left = module_.text(operands[0]), right = module_.text(operands[1]);
    return (op == "==" &&
            ((is_len(operands[0]) && right == "0") || (left == "0" && is_len(operands[1])))) ||
           (op == "<" && is_len(operands[0]) && right == "1");
  }

  // Whether `condition` is `<key> <op> <container>` (op `in` or `not in`, by its token).
  bool in_test(TSNode condition, std::string_view key, std::string_view container,
               std::string_view op) const {
    if (type_of(condition) != "comparison_operator")
      return false;
    const auto operands = named_children(condition);
    return operands.size() == 2 && type_of(field(condition, "operators")) == op &&
           module_.text(operands[0]) == key && module_.text(operands[1]) == container;
  }

  // Whether a block ends by skipping what follows it in its own block: it leaves the function,
  // or goes on with (or out of) the loop around it.
  static bool skips_rest(TSNode block) {
    const auto statements = named_children(block);
    if (statements.empty())
      return false;
    const std::string_view last = type_of(statements.back());
    return last == "return_statement" || last == "raise_statement" ||
           last == "continue_statement" || last == "break_statement";
  }

  // Whether a `for` loop (or a comprehension's `for` clause) calls its variable in `body`: `for
  // hook in hooks: hook(event)` (or awaits it), `[handler(msg) for handler in handlers]`.
  bool calls_loop_variable(TSNode loop, TSNode body) const {
    const TSNode variable = field(loop, "left");
    if (type_of(variable) != "identifier")
      return false;
    const std::string_view name = module_.text(variable);
    bool called = false;
    for_each_node(body, [&](TSNode node) {
      if (called || type_of(node) == "function_definition" || type_of(node) == "lambda")
        return false;
      const TSNode function = field(node, "function");
      called = type_of(node) == "call" && type_of(function) == "identifier" &&
               module_.text(function) == name;
      return !called;
    });
    return called;
  }

  // The statement a function definition is: its decorated definition when it has decorators.
  static TSNode definition_of(TSNode function) {
    const TSNode around = parent_of(function);
    return type_of(around) == "decorated_definition" ? around : function;
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
    case Use::GrowElement:
      if (runs_later(function) && !bounded_growth(at, c, function) && !c.element_grows_at)
        c.element_grows_at = at.node;
      break;
    case Use::Grow:
      if (type_of(at.parent) == "subscript" && makes_container(field(at.grandparent, "right")))
        c.holds_containers = true;
      if (!runs_later(function) || bounded_growth(at, c, function))
        break;
      if (!c.grows_at) {
        c.grows_at = at.node;
        c.grows_in = function;
      } else if (!ts_node_eq(function, c.grows_in)) {
        c.grows_in_one = false;
      }
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
    case Use::CallsItems:
      c.holds_callbacks = true;
      break;
    case Use::Neutral:
      break;
    }
  }

  // Reported unless another module of the scan shows the growth happening at start-up (it calls
  // the growing function while it is imported) or removes entries (`guild._members.pop(id)`).
  void report(Candidate c, std::string_view what, CheckContext &context,
              std::vector<std::string> refuters = {}) const {
    if (!c.grows_at && c.element_grows_at && (c.holds_containers || c.kind == "defaultdict"))
      c.grows_at = c.element_grows_at;
    if (!c.grows_at || c.shrinks || c.escapes || c.size_checked || c.holds_callbacks)
      return;
    const Span span = module_.span(c.target);
    Condition condition;
    condition.refuted_by = fmt::format("grow {}:{}:{}", module_.source().path(), span.start.line,
                                       span.start.column); // this finding alone
    condition.also_refuted_by = std::move(refuters);
    condition.also_refuted_by.push_back(shrink_fact(c.name));
    if (!ts_node_is_null(c.grows_in) && c.grows_in_one)
      if (auto fact = import_time_fact(c.grows_in))
        condition.also_refuted_by.push_back(std::move(*fact));
    context.report_if(
        std::string(module_.source().path()), span,
        fmt::format("{} (a {}) is added to (line {}) but never removed from, so it grows "
                    "for as long as the process runs: remove entries when they are "
                    "done with (del, pop, discard){}",
                    what, c.kind, module_.span(*c.grows_at).start.line,
                    c.kind == "deque" ? ", or give the deque a maxlen" : ", or bound it"),
        std::move(condition), c.kind == "deque" ? maxlen_fix(c, context) : std::nullopt);
  }

  static std::string shrink_fact(std::string_view attribute) {
    return fmt::format("shrink .{}", attribute);
  }

  static std::string per_call_fact(std::string_view class_name) {
    return fmt::format("constructed-per-call {}", class_name);
  }

  // The fact a module provides when it calls `function` as it is imported: `import-time
  // registry.register` for a module-level function of registry.py, `import-time .register` for
  // a method (the object's class is not known where it is called).
  std::optional<std::string> import_time_fact(TSNode function) const {
    const std::string_view name = module_.text(field(function, "name"));
    const TSNode definition = definition_of(function);
    const TSNode around = parent_of(definition); // the module, or a class's or function's body
    if (type_of(around) == "module")
      return fmt::format("import-time {}.{}", module_name(), name);
    if (type_of(parent_of(around)) == "class_definition")
      return fmt::format("import-time .{}", name);
    return std::nullopt; // a nested function: called through its enclosing one
  }

  // The last part of the module's dotted name: `registry` for acme/registry.py and
  // acme/registry/__init__.py.
  std::string_view module_name() const {
    std::string_view path = module_.source().path();
    path = path.substr(0, path.rfind('.'));
    if (path.ends_with("/__init__") || path == "__init__")
      path = path.substr(0, path.size() < 9 ? 0 : path.size() - 9);
    return path.substr(path.rfind('/') + 1);
  }

  // What this module tells other modules' findings: the functions it calls while it is imported
  // (`import-time <module>.<function>`, `import-time .<method>`), and the attributes of other
  // objects it removes entries from (`shrink .<attribute>`).
  void provide_facts(CheckContext &context) const {
    std::set<std::string, std::less<>> facts;
    const auto &functions = module_.functions();
    for (const Call &call : module_.calls()) {
      const TSNode callee = call.function_node;
      // `guild._members.pop(id)`: entries removed from another object's attribute.
      if (type_of(callee) == "attribute" &&
          vocabulary_.shrink.contains(module_.text(field(callee, "attribute"))))
        if (const auto attribute = removed_from(field(callee, "object"), &call))
          facts.insert(shrink_fact(*attribute));
      const std::string_view in = call.function < 0 ? "" : functions[call.function].name;
      const bool at_import =
          call.function < 0 || import_time().contains(in) || (in == "main" && !call.in_loop);
      if (!at_import) {
        if (auto built = built_per_call(call))
          facts.insert(per_call_fact(*built));
        continue;
      }
      if (const auto name = module_.qualify(callee)) {
        const size_t last = name->rfind('.');
        const size_t before = last == 0 ? std::string::npos : name->rfind('.', last - 1);
        facts.insert("import-time " + name->substr(before == std::string::npos ? 0 : before + 1));
      }
      if (type_of(callee) == "attribute" && !runs_as_program(call))
        facts.insert(fmt::format("import-time .{}", module_.text(field(callee, "attribute"))));
    }
    // `del registry.entries[k]`, and `registry.entries = {}`.
    for (TSNode deletion : module_.deletions())
      for (TSNode target : deleted(deletion))
        if (const auto attribute = removed_from(field(target, "value"), nullptr))
          facts.insert(shrink_fact(*attribute));
    for (TSNode assignment : module_.attribute_assignments())
      if (makes_container(field(assignment, "right")))
        if (const auto attribute = removed_from(field(assignment, "left"), nullptr))
          facts.insert(shrink_fact(*attribute));
    provide_class_facts(facts);
    for (const std::string &fact : facts)
      context.provide(fact);
  }

  // What the classes remove from their own attributes (`self.x.pop(k)`, `del self.x[k]`,
  // `self.x[k].discard(v)`): a mixin (or a subclass) in another module may remove from the
  // attribute of the class it joins. `shrink own C.x` for the class, `shrink subclass B.x` for
  // each of its bases.
  void provide_class_facts(std::set<std::string, std::less<>> &facts) const {
    std::unordered_map<uint32_t, std::vector<std::string_view>> owners_of; // by class
    const auto removes = [&](TSNode function, TSNode container) {
      const TSNode klass = class_of_method(function);
      container = element_owner(container);
      if (ts_node_is_null(klass) || type_of(container) != "attribute" ||
          module_.text(field(container, "object")) != "self")
        return;
      auto [it, fresh] = owners_of.try_emplace(ts_node_start_byte(klass));
      if (fresh) {
        it->second.push_back(module_.text(field(klass, "name")));
        for (TSNode base : named_children(field(klass, "superclasses")))
          if (type_of(base) == "identifier" || type_of(base) == "attribute")
            it->second.push_back(last_part(module_.text(base)));
      }
      for (size_t i = 0; i < it->second.size(); ++i)
        facts.insert(class_shrink_fact(i == 0 ? "own" : "subclass", it->second[i],
                                       module_.text(field(container, "attribute"))));
    };
    const auto &functions = module_.functions();
    for (const Call &call : module_.calls())
      if (call.function >= 0 && type_of(call.function_node) == "attribute" &&
          vocabulary_.shrink.contains(module_.text(field(call.function_node, "attribute"))))
        removes(functions[call.function].node, field(call.function_node, "object"));
    for (TSNode deletion : module_.deletions()) {
      TSNode function = parent_of(deletion);
      while (!ts_node_is_null(function) && type_of(function) != "function_definition")
        function = parent_of(function);
      for (TSNode target : deleted(deletion))
        removes(function, field(target, "value"));
    }
  }

  // The class whose method `function` is (null when it is none's).
  static TSNode class_of_method(TSNode function) {
    if (ts_node_is_null(function))
      return TSNode{};
    const TSNode around = parent_of(parent_of(definition_of(function)));
    return type_of(around) == "class_definition" ? around : TSNode{};
  }

  // The subscripts a `del` statement deletes (`del x[a], y[b]`).
  static std::vector<TSNode> deleted(TSNode deletion) {
    const TSNode targets = ts_node_named_child(deletion, 0);
    std::vector<TSNode> out;
    for (TSNode target :
         type_of(targets) == "expression_list" ? named_children(targets) : std::vector{targets})
      if (type_of(target) == "subscript")
        out.push_back(target);
    return out;
  }

  // The container whose element `node` is (`x.cache[k]`, `x.cache.get(k)`: `x.cache`), or itself.
  TSNode element_owner(TSNode node) const {
    while (true) {
      const TSNode callee = field(node, "function");
      if (type_of(node) == "subscript")
        node = field(node, "value");
      else if (type_of(node) == "call" && type_of(callee) == "attribute" &&
               (module_.text(field(callee, "attribute")) == "get" ||
                module_.text(field(callee, "attribute")) == "setdefault"))
        node = field(callee, "object");
      else
        return node;
    }
  }

  static std::string_view last_part(std::string_view dotted) {
    return dotted.substr(dotted.rfind('.') + 1);
  }

  // `shrink own X.a`: class X removes from its `self.a`; `shrink subclass X.a`: a class derived
  // from X does.
  static std::string class_shrink_fact(std::string_view by, std::string_view owner,
                                       std::string_view attribute) {
    return fmt::format("shrink {} {}.{}", by, owner, attribute);
  }

  // The attribute entries are removed from when `container` loses some (another object's:
  // `guild._members`, also through an element, `x.cache[k]`, `x.cache.get(k)`; a global another
  // module owns, imported or bound to a local: `from app.jobs import queue`, `q = jobs.queue`).
  // Nullopt for the object's own (`self.x`: judged with its class) and for unknown names.
  std::optional<std::string_view> removed_from(TSNode container, const Call *call) const {
    container = element_owner(container);
    if (type_of(container) == "call") // `self._open_orders().remove(o)`, through an accessor
      return accessed_attribute(field(container, "function"));
    if (type_of(container) == "attribute") {
      const std::string_view owner = module_.text(field(container, "object"));
      if (owner == "self" || owner == "cls")
        return std::nullopt;
      return module_.text(field(container, "attribute"));
    }
    if (type_of(container) != "identifier")
      return std::nullopt;
    const std::string_view name = module_.text(container);
    if (const auto it = module_.imports().find(name); it != module_.imports().end())
      return last_part(it->second);
    if (!call || call->function < 0)
      return std::nullopt;
    for (TSNode value : local_values(module_.functions()[call->function].node, name))
      if (type_of(value) == "attribute" && module_.text(field(value, "object")) != "self")
        return module_.text(field(value, "attribute"));
    return std::nullopt;
  }

  // The attribute of another object that the module's function `callee` names returns: `def
  // _open_orders(self): return self.consumer.open_orders` is an accessor of `.open_orders`.
  std::optional<std::string_view> accessed_attribute(TSNode callee) const {
    if (type_of(callee) == "attribute")
      callee = field(callee, "attribute");
    if (type_of(callee) != "identifier")
      return std::nullopt;
    std::optional<std::string_view> attribute;
    for (const Function &function : module_.functions())
      if (function.name == module_.text(callee) && any_returned(function.node, [&](TSNode value) {
            value = element_owner(value);
            if (type_of(value) == "attribute") // not a call: no accessor of an accessor
              attribute = removed_from(value, nullptr);
            return attribute.has_value();
          }))
        break;
    return attribute;
  }

  // The class a call outside set-up builds for that call alone, by name: `scraper =
  // RecipeScraper(...)` in a request handler, `cls(...)` in a class method (its class), and an
  // object a handler stores on its own (`self.scoreboard = Scoreboard()` in a method with a
  // decorator that is not one of Python's own: a command or a route, run per event, replacing
  // the last). In a constructor or set-up it may be the one the process keeps, and so may one a
  // factory returns or stores elsewhere (`return PresenceHandler(self)` in a cached getter,
  // `self.x = X()` in `start`).
  std::optional<std::string> built_per_call(const Call &call) const {
    const auto &functions = module_.functions();
    const std::string_view in = call.function < 0 ? "" : functions[call.function].name;
    if (in == "__init__" || in == "main" || names_setup(in))
      return std::nullopt;
    const TSNode callee = call.function_node;
    const TSNode name = type_of(callee) == "attribute" ? field(callee, "attribute") : callee;
    const std::string_view text = module_.text(name);
    if (type_of(name) != "identifier" || text.empty())
      return std::nullopt;
    if (text == "cls" && type_of(callee) == "identifier" && !call.kept && call.function >= 0) {
      const TSNode around = parent_of(parent_of(definition_of(functions[call.function].node)));
      if (type_of(around) == "class_definition")
        return std::string(module_.text(field(around, "name")));
      return std::nullopt;
    }
    if (text[0] < 'A' || text[0] > 'Z' || constant_name(text))
      return std::nullopt;
    if (!call.kept)
      return std::string(text);
    const TSNode assignment = parent_of(call.node);
    const TSNode left = field(assignment, "left");
    if (type_of(assignment) != "assignment" || type_of(left) != "attribute" ||
        module_.text(field(left, "object")) != "self" || call.function < 0)
      return std::nullopt;
    const auto &decorators = functions[call.function].decorators;
    static const std::set<std::string_view> kPythons = {"property",
                                                        "setter",
                                                        "getter",
                                                        "deleter",
                                                        "staticmethod",
                                                        "classmethod",
                                                        "abstractmethod",
                                                        "cached_property",
                                                        "cache",
                                                        "lru_cache",
                                                        "wraps",
                                                        "contextmanager",
                                                        "asynccontextmanager",
                                                        "overload",
                                                        "override",
                                                        "final"};
    const bool handler = std::any_of(decorators.begin(), decorators.end(), [](const auto &d) {
      return !kPythons.contains(last_part(d));
    });
    return handler ? std::optional<std::string>(text) : std::nullopt;
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
    const bool fields = field_class(klass);
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
      } else if (type_of(statement) == "expression_statement" && !fields) {
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
    const bool known_long_lived =
        instantiated_at_module_level(class_name) ||
        std::any_of(vocabulary_.long_lived.begin(), vocabulary_.long_lived.end(),
                    [&](const std::string &qualified) {
                      return names_class(qualified, module_.source().path(), class_name);
                    });
    const bool long_lived =
        known_long_lived || (has_async_method && !short_lived(klass, class_name));
    // Taken to be long-lived for its async methods alone: not if the scan builds one per call.
    std::vector<std::string> refuters;
    if (!known_long_lived)
      refuters.push_back(per_call_fact(class_name));
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
      // Each function's own code with that function: growth in a nested `def _inner(fn)` runs
      // when _inner does (a registration decorator), not when the method does.
      std::vector<TSNode> functions = {method};
      while (!functions.empty()) {
        const TSNode function = functions.back();
        functions.pop_back();
        walk_with_parents(field(function, "body"), [&](const NodeInContext &at) {
          if (type_of(at.node) == "class_definition")
            return false; // its methods have a `self` of their own
          if (type_of(at.node) == "function_definition") {
            functions.push_back(at.node);
            return false;
          }
          if (type_of(at.node) != "attribute")
            return true;
          const std::string_view object = module_.text(field(at.node, "object"));
          if (object != self && object != "cls" && object != class_name)
            return true;
          const std::string_view attribute = module_.text(field(at.node, "attribute"));
          for (Candidate &c : candidates)
            if (c.name == attribute)
              tally(c, at, function);
          return true;
        });
      }
    }
    // Removed from by a class derived from it, or by one of its bases (a mixin of another
    // module: `del self.triggers[guild][name]` in `class TriggerHandler`).
    std::vector<std::string_view> bases;
    for (TSNode base : named_children(field(klass, "superclasses")))
      if (type_of(base) == "identifier" || type_of(base) == "attribute")
        bases.push_back(last_part(module_.text(base)));
    for (const Candidate &c : candidates) { // a class attribute lives as long as its class
      std::vector<std::string> refuted_by = c.class_level ? std::vector<std::string>() : refuters;
      refuted_by.push_back(class_shrink_fact("subclass", class_name, c.name));
      for (std::string_view base : bases)
        refuted_by.push_back(class_shrink_fact("own", base, c.name));
      report(c, fmt::format("{}.{}", c.class_level ? class_name : "self", c.name), context,
             std::move(refuted_by));
    }
  }

  // Whether the class's objects serve one connection, request or block: by its name or a base's
  // (`ClientSession`, `class DashElectrumX(SessionBase)`), or because it is a context manager or
  // its own iterator (`with get_task_stream() as ts`, `async for peers in IterativeFinder(...)`).
  bool short_lived(TSNode klass, std::string_view class_name, int depth = 0) const {
    if (has_word(class_name, vocabulary_.short_lived_words))
      return true;
    for (TSNode statement : named_children(field(klass, "body"))) {
      if (type_of(statement) == "decorated_definition")
        statement = field(statement, "definition");
      if (type_of(statement) == "function_definition" &&
          vocabulary_.scoped_methods.contains(module_.text(field(statement, "name"))))
        return true;
    }
    for (TSNode base : named_children(field(klass, "superclasses"))) {
      if (type_of(base) != "identifier" && type_of(base) != "attribute")
        continue;
      if (has_word(module_.text(base), vocabulary_.short_lived_words))
        return true;
      // Through the module's own bases: `class DashElectrumX(ElectrumX)`, `ElectrumX(SessionBase)`.
      if (type_of(base) == "identifier" && depth < 8)
        for (TSNode local : local_bases(klass, base))
          if (short_lived(local, module_.text(base), depth + 1))
            return true;
    }
    return false;
  }

  // Whether the class's class-level assignments are field defaults each instance gets a copy of
  // (a dataclass, an attrs class, a pydantic model, a msgspec Struct, a NamedTuple ...).
  bool field_class(TSNode klass, int depth = 0) const {
    const TSNode around = parent_of(klass);
    if (type_of(around) == "decorated_definition")
      for (TSNode decorator : named_children(around)) {
        TSNode expression = ts_node_named_child(decorator, 0);
        if (type_of(expression) == "call")
          expression = field(expression, "function");
        const auto name = module_.qualify(expression);
        if (type_of(decorator) == "decorator" && name &&
            vocabulary_.field_decorators.contains(*name))
          return true;
      }
    for (TSNode base : named_children(field(klass, "superclasses"))) {
      if (const auto name = module_.qualify(base); name && vocabulary_.field_bases.contains(*name))
        return true;
      if (type_of(base) != "identifier" || depth >= 8)
        continue;
      // A base of the module's own, defined before it: its fields are fields.
      for (TSNode local : local_bases(klass, base))
        if (field_class(local, depth + 1))
          return true;
    }
    return false;
  }

  // The module's own classes named `base`, defined before `klass`.
  std::vector<TSNode> local_bases(TSNode klass, TSNode base) const {
    if (!classes_by_name_) {
      classes_by_name_.emplace();
      for (TSNode other : module_.classes())
        classes_by_name_->emplace(module_.text(field(other, "name")), other);
    }
    std::vector<TSNode> found;
    const auto [first, last] = classes_by_name_->equal_range(module_.text(base));
    for (auto it = first; it != last; ++it)
      if (ts_node_start_byte(it->second) < ts_node_start_byte(klass))
        found.push_back(it->second);
    return found;
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
  // such a function): `def def_op(name, op): opmap[name] = op` followed by `def_op("NOP", 9)`;
  // and, keyed by method_key, the methods it calls on objects then (`chip = Chip("A")` followed
  // by `chip.cmd(0x3A, 0x55)`), by name as another module's `import-time .cmd` names them, unless
  // they are the program's own work (runs_as_program).
  // Computed on first use: most modules never ask.
  const std::set<std::string, std::less<>> &import_time() const {
    if (!import_time_) {
      import_time_.emplace();
      find_import_time_functions(*import_time_);
    }
    return *import_time_;
  }

  void find_import_time_functions(std::set<std::string, std::less<>> &import_time) const {
    // From the module's calls, by the function whose own code each is in (-1: the top level).
    const auto &functions = module_.functions();
    std::map<std::string_view, int, std::less<>> top_level; // name -> index in functions
    for (size_t i = 0; i < functions.size(); ++i) {
      const TSNode definition = definition_of(functions[i].node);
      if (type_of(parent_of(definition)) == "module")
        top_level.emplace(functions[i].name, static_cast<int>(i));
    }
    std::map<int, std::vector<const Call *>> calls_in;
    for (const Call &call : module_.calls())
      calls_in[call.function].push_back(&call);
    // Set-up also runs once from `main()`: what it calls outside its loops (a loop there is
    // usually the program's work, once per request or message).
    std::vector<std::pair<int, bool>> pending; // function (-1: the top level), outside loops only
    if (auto main = top_level.find("main"); main != top_level.end())
      pending.emplace_back(main->second, true);
    pending.emplace_back(-1, false); // taken first
    while (!pending.empty()) {
      const auto [function, once] = pending.back();
      pending.pop_back();
      for (const Call *call : calls_in[function]) {
        if (once && call->in_loop)
          continue;
        const TSNode callee = field(call->node, "function");
        if (type_of(callee) == "attribute") {
          if (!once && !runs_as_program(*call))
            import_time.insert(method_key(module_.text(field(callee, "attribute"))));
          continue;
        }
        const std::string_view name = module_.text(callee);
        auto it = top_level.find(name);
        if (it != top_level.end() && name != "main" && import_time.emplace(name).second)
          pending.emplace_back(it->second, once);
      }
    }
  }

  // Whether a method call is the program's own work rather than set-up: `Server().run()` under
  // `if __name__ == "__main__":` or in `main()` (which is set-up for the module's functions it
  // calls outside its loops, not for the objects it runs). A loop at the top level outside the
  // guard runs at import, over what the code lists: `for viewset in viewsets: tree.add(viewset)`.
  bool runs_as_program(const Call &call) const {
    if (call.function >= 0 && module_.functions()[call.function].name == "main")
      return true;
    for (TSNode at = parent_of(call.node); !ts_node_is_null(at); at = parent_of(at))
      if (type_of(at) == "if_statement" &&
          module_.text(field(at, "condition")).find("__main__") != std::string_view::npos)
        return true;
    return false;
  }

  // How import_time() holds a method's name: apart from the module's functions.
  static std::string method_key(std::string_view name) { return fmt::format(".{}", name); }

  static bool is_method(TSNode function) { return !ts_node_is_null(class_of_method(function)); }

  const Module &module_;
  const Vocabulary &vocabulary_;
  mutable std::optional<std::set<std::string, std::less<>>> import_time_;
  mutable std::optional<std::set<std::string_view, std::less<>>> module_level_calls_;
  mutable std::unordered_map<uint32_t, bool> registers_; // by function: a registration decorator
  mutable std::optional<std::multimap<std::string_view, TSNode>> classes_by_name_;
  mutable std::unordered_map<uint32_t, std::unordered_map<std::string_view, Mentions>> mentions_;
};

class GrowOnlyContainer final : public PythonCheck {
public:
  using Targets = Vocabulary;
  static Vocabulary parse_targets(const TargetReader &targets, const Rule &) {
    return build_vocabulary(targets);
  }

  // Any module may hold one: its containers are builtins, made without an import.
  const std::vector<std::string> &required_text(const RuleSettings & /*rule*/) const override {
    static const std::vector<std::string> any;
    return any;
  }

  void check(const Module &module, CheckContext &context) const override {
    // Tests, examples and vendored code do not run in a long-lived process: neither judged nor
    // heard (a test's `cache.clear()` says nothing of the service's).
    if (context.path_matches_option("not-long-lived", module.source().path()))
      return;
    const Vocabulary *vocabulary = &context.targets<GrowOnlyContainer>();
    const Analysis analysis(module, *vocabulary);
    analysis.provide_facts(context);
    analysis.check_globals(context);
    for (TSNode klass : module.classes())
      analysis.check_class(klass, context);
  }
};

} // namespace

LEASH_REGISTER_CHECK(PythonCheck, GrowOnlyContainer, "grow-only-container");

} // namespace leash::python
