// missing-socket-timeout for C++, from targets.cpp in rules/missing-socket-timeout.yaml:
// - {connect, timeout}: a hiredis context connected in a function (or a class) that never gives
//   one a timeout;
// - {classes, options_type, option}: a client (redis-plus-plus) built from local connection
//   options whose `option` is never set in the function, or from a URI literal without it;
//   directly or through std::make_shared / std::make_unique.
#include "frontend/cpp/cpp_check.h"

#include <clang/ASTMatchers/ASTMatchers.h>

#include <fmt/format.h>

namespace leash::cpp {

namespace {

using namespace clang::ast_matchers;

struct Target {
  std::vector<std::string> connect, timeout; // function style
  std::vector<std::string> classes;          // client style
  std::string options_type, option;
  std::string message;
};

// The schema of targets.cpp: entries in one of two styles, each with its message. Function
// style: `connect` functions whose context needs one of the `timeout` functions called on it.
// Client style: `classes` built from an `options_type` whose `option` must be set.
std::vector<Target> build_targets(const TargetReader &targets) {
  std::vector<Target> out;
  for (const TargetReader &entry : targets.items()) {
    const auto r =
        entry.record({"connect", "timeout", "classes", "options_type", "option", "message"});
    Target t;
    if (r.has("connect") == r.has("classes"))
      entry.fail("an entry is of the function style (`connect`, `timeout`) or the client style "
                 "(`classes`, `options_type`, `option`)");
    if (r.has("connect")) {
      if (r.has("options_type") || r.has("option"))
        entry.fail("`options_type` and `option` go with `classes`, not `connect`");
      t.connect = qualified_names(r.required("connect"));
      t.timeout = qualified_names(r.required("timeout"));
    } else {
      if (r.has("timeout"))
        entry.fail("`timeout` goes with `connect`, not `classes`");
      t.classes = qualified_names(r.required("classes"));
      t.options_type = qualified_name(r.required("options_type"));
      t.option = r.required("option").string();
    }
    t.message = r.required("message").string();
    out.push_back(std::move(t));
  }
  return out;
}

class ClientWithoutOption final : public GuardedCallback {
public:
  ClientWithoutOption(const Target &target, CppReporter &reporter)
      : target_(target), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    const auto client = construction(result);
    const auto *function = result.Nodes.getNodeAs<clang::FunctionDecl>("function");
    if (!client || !function || !function->getBody() || client->args.empty())
      return;
    const clang::Expr *arg = bare(client->args[0]);
    if (const auto *uri = llvm::dyn_cast<clang::StringLiteral>(arg)) {
      if (uri->getBytes().contains(target_.option + "="))
        return;
    } else if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(arg)) {
      const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      // Options that come from elsewhere (a parameter, a member) may have it set there.
      if (!var || !var->hasLocalStorage() || llvm::isa<clang::ParmVarDecl>(var) ||
          !is_options(var->getType()))
        return;
      const auto set = match(findAll(memberExpr(member(hasName(target_.option)),
                                                hasObjectExpression(ignoringImpCasts(
                                                    declRefExpr(to(varDecl(equalsNode(var)))))))),
                             *function->getBody(), *result.Context);
      if (!set.empty())
        return;
    } else {
      return; // built some other way: not judged
    }
    reporter_.report(*result.Context, client->at->getBeginLoc(), client->at->getEndLoc(),
                     with_callee(target_.message, client->type->getQualifiedNameAsString()));
  }

private:
  bool is_options(clang::QualType type) const { return is_class(type, target_.options_type); }

  const Target &target_;
  CppReporter &reporter_;
};

class ConnectWithoutTimeout final : public GuardedCallback {
public:
  ConnectWithoutTimeout(const Target &target, CppReporter &reporter)
      : target_(target), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("connect");
    const auto *function = result.Nodes.getNodeAs<clang::FunctionDecl>("function");
    if (!call || !function || !function->getBody())
      return;
    const auto setters =
        match(findAll(callExpr(calls(target_.timeout))), *function->getBody(), *result.Context);
    if (!setters.empty())
      return;
    // A class that connects in one member function may set the timeout in another (a connector
    // with _connect() and _set_timeout()): any of its member functions in this unit counts.
    if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(function)) {
      const auto in_class =
          match(callExpr(calls(target_.timeout),
                         forFunction(cxxMethodDecl(ofClass(equalsNode(method->getParent()))))),
                *result.Context);
      if (!in_class.empty())
        return;
    }
    if (handed_to_helper(*call, *function, *result.Context))
      return;
    const auto *callee = call->getDirectCallee();
    reporter_.report(*result.Context, call->getBeginLoc(), call->getEndLoc(),
                     with_callee(target_.message, callee ? callee->getNameAsString() : ""));
  }

private:
  // Whether `callee` is a function of the project's own: declared in the scanned tree, and not
  // beside the connect function (hiredis itself may be vendored in the tree).
  bool is_own(const clang::FunctionDecl *callee, const clang::CallExpr &connect_call,
              clang::ASTContext &context) const {
    const clang::SourceManager &sm = context.getSourceManager();
    const auto file_of = [&](const clang::Decl &decl) {
      return sm.getFileID(sm.getExpansionLoc(decl.getLocation()));
    };
    const clang::FunctionDecl *connect = connect_call.getDirectCallee();
    return callee && reporter_.in_scanned_tree(sm, *callee) &&
           (!connect || file_of(*callee) != file_of(*connect));
  }

  // Whether the project's function `helper` can give a context a timeout: its body is not in this
  // unit, or it calls a timeout function, itself or through the project's functions it calls
  // (a few calls deep). A helper that only stores the context (back into a pool) cannot.
  bool may_set_timeout(const clang::FunctionDecl &helper, const clang::CallExpr &connect_call,
                       clang::ASTContext &context, int depth) const {
    const clang::FunctionDecl *definition = nullptr;
    if (depth == 0 || !helper.hasBody(definition) || !definition->getBody())
      return true;
    const clang::Stmt &body = *definition->getBody();
    if (!match(findAll(callExpr(calls(target_.timeout))), body, context).empty())
      return true;
    for (const auto &found : match(findAll(callExpr().bind("call")), body, context)) {
      const auto *callee = found.getNodeAs<clang::CallExpr>("call")->getDirectCallee();
      if (callee && callee->getCanonicalDecl() != helper.getCanonicalDecl() &&
          is_own(callee, connect_call, context) &&
          may_set_timeout(*callee, connect_call, context, depth - 1))
        return true;
    }
    return false;
  }

  // Whether the new context goes to a function of the project's own that may set its timeout:
  // `configure(redisConnect(...))`, or the variable or member that holds it passed on in the
  // same function.
  bool handed_to_helper(const clang::CallExpr &call, const clang::FunctionDecl &function,
                        clang::ASTContext &context) const {
    const auto own = [&](const clang::FunctionDecl *callee) {
      return is_own(callee, call, context) && may_set_timeout(*callee, call, context, 3);
    };
    const auto passed = [&](const auto &argument) {
      for (const auto &found : match(findAll(callExpr(hasAnyArgument(argument)).bind("call")),
                                     *function.getBody(), context))
        if (own(found.template getNodeAs<clang::CallExpr>("call")->getDirectCallee()))
          return true;
      return false;
    };
    const clang::Stmt *child = &call;
    for (auto parents = context.getParents(*child); !parents.empty();
         parents = context.getParents(*child)) {
      if (const auto *var = parents[0].get<clang::VarDecl>())
        return passed(ignoringParenImpCasts(declRefExpr(to(varDecl(equalsNode(var))))));
      const auto *parent = parents[0].get<clang::Stmt>();
      if (const auto *assign = llvm::dyn_cast_or_null<clang::BinaryOperator>(parent);
          assign && assign->isAssignmentOp()) {
        const auto *target = assign->getLHS()->IgnoreParenImpCasts();
        const clang::ValueDecl *held = nullptr;
        if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(target))
          held = ref->getDecl();
        else if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(target))
          held = member->getMemberDecl();
        return held &&
               passed(ignoringParenImpCasts(anyOf(declRefExpr(to(valueDecl(equalsNode(held)))),
                                                  memberExpr(member(equalsNode(held))))));
      }
      if (const auto *outer = llvm::dyn_cast_or_null<clang::CallExpr>(parent))
        return own(outer->getDirectCallee());
      if (!parent ||
          !(llvm::isa<clang::ImplicitCastExpr>(parent) || llvm::isa<clang::ParenExpr>(parent) ||
            llvm::isa<clang::ExplicitCastExpr>(parent) ||
            llvm::isa<clang::ExprWithCleanups>(parent)))
        return false;
      child = parent;
    }
    return false;
  }

  const Target &target_;
  CppReporter &reporter_;
};

class MissingSocketTimeout final : public CppCheck {
public:
  using Targets = std::vector<Target>;
  static Targets parse_targets(const TargetReader &targets, const Rule &) {
    return build_targets(targets);
  }

  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const Targets *targets = &reporter.context().targets<MissingSocketTimeout>();
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    for (const Target &target : *targets) {
      if (!target.classes.empty()) {
        auto callback = std::make_unique<ClientWithoutOption>(target, reporter);
        match_builds(finder, target.classes, callback.get(),
                     hasAncestor(functionDecl(isDefinition()).bind("function")));
        callbacks.push_back(std::move(callback));
        continue;
      }
      auto callback = std::make_unique<ConnectWithoutTimeout>(target, reporter);
      finder.addMatcher(callExpr(calls(target.connect),
                                 hasAncestor(functionDecl(isDefinition()).bind("function")))
                            .bind("connect"),
                        callback.get());
      callbacks.push_back(std::move(callback));
    }
    return callbacks;
  }

  std::vector<std::string> required_names(const RuleSettings &rule) const override {
    return names_in(typed_targets<MissingSocketTimeout>(rule, Language::Cpp), &Target::classes,
                    &Target::connect);
  }
};

LEASH_REGISTER_CHECK(CppCheck, MissingSocketTimeout, "missing-socket-timeout");

} // namespace

} // namespace leash::cpp
