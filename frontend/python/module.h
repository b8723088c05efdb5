// A Python module as leash reads it: the tree-sitter parse tree, the names its imports bind, and
// every call with its arguments and context, resolved to fully qualified names
// (`from redis import Redis as R; R()` calls `redis.Redis`).
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <tree_sitter/api.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::python {

struct Keyword {
  std::string name;
  TSNode value;
};

struct Call {
  TSNode node;        // the call expression
  TSNode report_at;   // the call, or the decorator it is written in
  std::string callee; // fully qualified, "" when it cannot be known (`make().connect()`)
  std::vector<TSNode> positional;
  std::vector<Keyword> keywords; // `**cfg` spread in when cfg's keys are known
  bool unknown_keywords = false; // a `**spread` (or `*args`) whose contents cannot be known
  bool in_loop = false;          // in a loop or comprehension of its own function
  bool in_route_handler = false; // in a function decorated as a web route
};

// A decorator that is a bare name, not a call: `@functools.cache`.
struct DecoratorReference {
  TSNode report_at;
  std::string name; // fully qualified
};

struct SyntaxError {
  Position at;
  std::string message;
};

class Module {
public:
  // Parses `source`; whatever tree-sitter recovered is analyzed, the first error is kept.
  explicit Module(const SourceFile &source);
  ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  const SourceFile &source() const { return source_; }
  TSNode root() const;
  const std::vector<Call> &calls() const { return calls_; }
  const std::vector<DecoratorReference> &decorator_references() const { return references_; }
  const std::optional<SyntaxError> &syntax_error() const { return syntax_error_; }

  std::string_view text(TSNode node) const;
  Span span(TSNode node) const;
  // The fully qualified name an expression refers to: imported names resolve through the
  // imports, other bare names are `builtins.<name>`; nullopt for anything else.
  std::optional<std::string> qualify(TSNode expression) const;

  // Literal values: nullopt when the node is not that kind of literal.
  bool is_none(TSNode node) const;
  std::optional<long long> integer(TSNode node) const;
  std::optional<std::string> string(TSNode node) const; // f-strings are not literals

private:
  struct Walker;

  const SourceFile &source_;
  TSTree *tree_ = nullptr;
  std::map<std::string, std::string, std::less<>> imports_; // local name -> qualified name
  std::vector<Call> calls_;
  std::vector<DecoratorReference> references_;
  std::optional<SyntaxError> syntax_error_;
};

// Node helpers; all accept a null node (and then answer "" or a null node).
std::string_view type_of(TSNode node);
TSNode field(TSNode node, std::string_view name);
// The parent, or a null node for the root (and for a null node): never crashes.
TSNode parent_of(TSNode node);
// Whether `child` is `parent`'s field `name`.
bool is_field(TSNode parent, std::string_view name, TSNode child);

// Visits `root` and its named descendants in document order, without recursion (trees can be
// deep). `visit(node)` returns whether to descend into the node.
template <class Visit> void for_each_node(TSNode root, Visit visit) {
  if (ts_node_is_null(root))
    return;
  std::vector<TSNode> stack = {root};
  while (!stack.empty()) {
    const TSNode node = stack.back();
    stack.pop_back();
    if (!visit(node))
      continue;
    for (uint32_t i = ts_node_named_child_count(node); i-- > 0;)
      stack.push_back(ts_node_named_child(node, i));
  }
}

} // namespace leash::python
