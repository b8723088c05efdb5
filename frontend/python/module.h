// A Python module as leash reads it: the tree-sitter parse tree, the names its imports bind, and
// every call with its arguments and context, resolved to fully qualified names
// (`from redis import Redis as R; R()` calls `redis.Redis`).
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::python {

class ClassIndex;

struct Keyword {
  std::string name;
  TSNode value;
};

struct Call {
  TSNode node;          // the call expression
  TSNode report_at;     // the call, or the decorator it is written in
  TSNode function_node; // what is called: the call's `function` field
  std::string callee;   // fully qualified, "" when it cannot be known (`make().connect()`); a
                        // method of a name bound to a call's result is that result's:
                        // `s = requests.Session(); s.get(u)` calls `requests.Session().get`
  std::vector<TSNode> positional;
  std::vector<Keyword> keywords; // `**cfg` spread in when cfg's keys are known
  bool unknown_keywords = false; // a `**spread` (or `*args`) whose contents cannot be known
  bool in_loop = false;          // in a loop or comprehension of its own function
  bool kept = false;             // its result is returned or stored beyond a local (`self.x = X()`)
  int function = -1;             // the function whose own code it is in (Module::functions), if any
};

// A node with the three nodes above it (tree-sitter has no cheap parent lookup).
struct NodeInContext {
  TSNode node;
  TSNode parent;
  TSNode grandparent;
  TSNode great_grandparent;
};

// An identifier that names a module-level variable, and the innermost function, lambda or class
// it appears in (kModuleScope at the top level).
struct NameUse {
  NodeInContext at;
  uint32_t scope;
};
inline constexpr uint32_t kModuleScope = UINT32_MAX;

// A decorator that is a bare name, not a call: `@functools.cache`.
struct DecoratorReference {
  TSNode report_at;
  std::string name; // fully qualified
};

// A function definition and the names its decorators are known by (`route` for
// `@app.route("/")`, `require_GET` for `@require_GET`).
struct Function {
  TSNode node;
  std::string_view name; // in the module's text
  std::vector<std::string> decorators;
};

// A top-level class, as calls of it are judged: what it derives from and what it defines.
struct ClassShape {
  std::vector<std::string> bases;   // qualified
  std::vector<std::string> methods; // the functions its body defines
  // One of them is __new__, or an __init__ that does more than hand its arguments on to the base
  // (Module::forwards_arguments).
  bool constructor = false;
};

struct SyntaxError {
  Position at;
  std::string message;
};

class Module {
public:
  // Parses `source`; whatever tree-sitter recovered is analyzed, the first error is kept. `tree`:
  // the classes the rest of the scanned tree defines (see built_class).
  explicit Module(const SourceFile &source, const ClassIndex *tree = nullptr);
  ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  const SourceFile &source() const { return source_; }
  TSNode root() const;
  const std::vector<Call> &calls() const { return calls_; }
  const std::vector<Function> &functions() const { return functions_; }
  const std::vector<DecoratorReference> &decorator_references() const { return references_; }
  const std::optional<SyntaxError> &syntax_error() const { return syntax_error_; }
  // Every class definition, in document order.
  const std::vector<TSNode> &classes() const { return classes_; }
  // Its `del` statements, and its assignments to an attribute (`registry.entries = {}`).
  const std::vector<TSNode> &deletions() const { return deletions_; }
  const std::vector<TSNode> &attribute_assignments() const { return attribute_assignments_; }
  // Where a variable assigned at the module's top level is mentioned (definitions included).
  const std::vector<NameUse> &uses_of_global(std::string_view name) const;
  // A scope (function, lambda or class; see NameUse) and the scope around it.
  TSNode scope_node(uint32_t scope) const;
  uint32_t enclosing_scope(uint32_t scope) const;

  std::string_view text(TSNode node) const;
  Span span(TSNode node) const;
  // The fully qualified name an expression refers to: imported names resolve through the
  // imports, other bare names are `builtins.<name>`; nullopt for anything else. A relative import
  // names a module by its file's path (`from .clients import C` in /src/app/x.py:
  // src.app.clients.C).
  std::optional<std::string> qualify(TSNode expression) const;

  // The class whose constructor a call of `callee` (as Call names it: "builtins.AppRedis",
  // "app.clients.AppRedis") runs, when `callee` is a class of this module's top level or of the
  // scanned tree (see ClassIndex): the first class, in Python's resolution order, that neither
  // is known here nor is `object`, `Generic`, `Protocol` or `ABC` (`class AppRedis(redis.asyncio.
  // Redis)`: redis.asyncio.Redis). None when `callee` is no such class, or when a class on the
  // way defines `__new__`, or an `__init__` that does more than hand its arguments on to its base
  // (the arguments are its own).
  // `methods`, when given, gets the methods the classes on the way define.
  std::optional<std::string> built_class(std::string_view callee,
                                         std::vector<std::string> *methods = nullptr) const;
  // The names its imports bind (local name -> qualified), and the modules it imports `*` from.
  const std::map<std::string, std::string, std::less<>> &imports() const { return imports_; }
  const std::vector<std::string> &star_imports() const { return star_imports_; }
  // The module's top-level classes, by name.
  using ClassShapes = std::map<std::string, ClassShape, std::less<>>;
  const ClassShapes &class_shapes() const;

  // Literal values: nullopt when the node is not that kind of literal.
  bool is_none(TSNode node) const;
  std::optional<long long> integer(TSNode node) const;
  std::optional<std::string> string(TSNode node) const; // f-strings are not literals

private:
  struct Walker;

  bool forwards_arguments(TSNode member) const;

  const SourceFile &source_;
  const ClassIndex *tree_index_;
  TSTree *tree_ = nullptr;
  std::map<std::string, std::string, std::less<>> imports_; // local name -> qualified name
  std::vector<std::string> star_imports_;
  std::vector<Call> calls_;
  std::vector<Function> functions_;
  std::vector<DecoratorReference> references_;
  std::optional<SyntaxError> syntax_error_;
  std::vector<TSNode> classes_;
  std::vector<TSNode> deletions_, attribute_assignments_;
  std::map<std::string, std::vector<NameUse>, std::less<>> global_uses_;
  std::map<uint32_t, std::pair<TSNode, uint32_t>> scopes_; // scope -> node, enclosing scope
  mutable std::optional<ClassShapes> class_shapes_;        // built on first use
};

// The folders of a file's absolute path, as a module name's components: /src/app/x.py is in
// package src.app (so is /src/app/__init__.py).
std::vector<std::string> package_components(const std::filesystem::path &file);
// The same and the module's own name: /src/app/x.py is src.app.x, /src/app/__init__.py src.app.
std::vector<std::string> module_components(const std::filesystem::path &file);

// Node helpers; all accept a null node (and then answer "" or a null node).
std::string_view type_of(TSNode node);
TSNode field(TSNode node, std::string_view name);
// The parent, or a null node for the root (and for a null node): never crashes.
TSNode parent_of(TSNode node);
// Whether `child` is `parent`'s field `name`.
bool is_field(TSNode parent, std::string_view name, TSNode child);

// Whether a function definition is `async def` (its `async` keyword, not its text).
bool is_async(TSNode function_definition);

// The node's named children, in order. Walks a cursor: indexing children one by one
// (ts_node_named_child) costs O(index) each, so a loop over them would be quadratic.
std::vector<TSNode> named_children(TSNode node);

// Visits `root` and its named descendants in document order, without recursion (trees can be
// deep), each with its parent and grandparent. `visit(NodeInContext)` returns whether to descend.
template <class Visit> void walk_with_parents(TSNode root, Visit visit) {
  if (ts_node_is_null(root))
    return;
  std::vector<NodeInContext> stack = {{root, TSNode{}, TSNode{}, TSNode{}}};
  while (!stack.empty()) {
    const NodeInContext at = stack.back();
    stack.pop_back();
    if (!visit(at))
      continue;
    const size_t first = stack.size();
    TSTreeCursor cursor = ts_tree_cursor_new(at.node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        const TSNode child = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_named(child))
          stack.push_back({child, at.node, at.parent, at.grandparent});
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
  }
}

// The same without the parents: `visit(TSNode)`.
template <class Visit> void for_each_node(TSNode root, Visit visit) {
  walk_with_parents(root, [&](const NodeInContext &at) { return visit(at.node); });
}

} // namespace leash::python
