// missing-http-timeout for C and C++, from targets.cpp in rules/missing-http-timeout.yaml: a
// libcurl easy handle performed where nothing sets a transfer timeout on it. Where that is looked
// for follows where the handle lives: a local variable in its function, a data member in its
// class's member functions, a global in the whole unit. A handle that comes in as a parameter, or
// that the function hands to one of the project's own, is not judged: its timeout may be set
// there.
#include "frontend/cpp/cpp_check.h"

#include <clang/AST/ASTContext.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <fmt/format.h>

#include <algorithm>

namespace leash::cpp {

namespace {

using namespace clang::ast_matchers;

struct Target {
  std::vector<std::string> perform;
  std::string setter, library;
  std::vector<std::string> timeout_options, stall_options, connect_options;
  std::string message, connect_only_message;
};

// The schema of targets.cpp: functions that perform a transfer on the handle in their first
// argument, the function that sets an option on it (handle, option, value), the prefix of the
// library's own function names (a handle handed to one is not handed to a project helper), the
// options that bound the whole transfer, those that bound it only all together (a stalled
// transfer is ended by a minimum speed and the time allowed below it), those that bound only the
// connect, and the two messages.
std::vector<Target> build_targets(const TargetReader &targets) {
  std::vector<Target> out;
  for (const TargetReader &entry : targets.items()) {
    const auto r = entry.record({"perform", "setter", "library", "timeout_options", "stall_options",
                                 "connect_options", "message", "connect_only_message"});
    Target t;
    t.perform = qualified_names(r.required("perform"));
    t.setter = qualified_name(r.required("setter"));
    t.library = qualified_name(r.required("library"));
    t.timeout_options = r.required("timeout_options").strings();
    t.connect_options = r.required("connect_options").strings();
    if (t.timeout_options.empty())
      r.required("timeout_options").fail("`timeout_options` names no option");
    if (const std::optional<TargetReader> stall = r.get("stall_options"))
      t.stall_options = stall->strings();
    t.message = r.required("message").string();
    t.connect_only_message = r.required("connect_only_message").string();
    out.push_back(std::move(t));
  }
  return out;
}

// Whether a declaration is the project's own: written outside the system headers (in the file, or
// a header it includes by a project include path, wherever the scan started), so that what it does
// with a handle may set the handle's timeout.
bool own(const clang::SourceManager &sm, const clang::Decl &decl) {
  const clang::SourceLocation loc = sm.getExpansionLoc(decl.getLocation());
  return loc.isValid() && !sm.isInSystemHeader(loc);
}

bool listed(const std::vector<std::string> &names, llvm::StringRef name) {
  return std::find(names.begin(), names.end(), name.str()) != names.end();
}

// The enum constant an option argument names: itself, or (C, where curl's type checking macro
// copies it into a local first) the one that local was initialized with.
const clang::EnumConstantDecl *option_of(const clang::Expr *argument) {
  for (int hops = 0; argument && hops < 2; ++hops) {
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(argument->IgnoreParenImpCasts());
    if (!ref)
      return nullptr;
    if (const auto *constant = llvm::dyn_cast<clang::EnumConstantDecl>(ref->getDecl()))
      return constant;
    const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    argument = var ? var->getInit() : nullptr;
  }
  return nullptr;
}

// Whether a value sets a timeout: a literal 0 means none.
bool nonzero(const clang::Expr *value, clang::ASTContext &context) {
  clang::Expr::EvalResult result;
  if (value && value->EvaluateAsInt(result, context))
    return !result.Val.getInt().isZero();
  return true; // a variable, a computed value: set
}

// Where the timeout of a performed handle may be set, from what the handle expression is rooted
// in: a local variable (its function), a field of `this` (the member functions of its class), a
// global (the unit).
struct Handle {
  enum class Scope { Function, Class, Unit } scope;
  const clang::Expr *key;                      // the handle as written, compared structurally
  const clang::VarDecl *variable = nullptr;    // the root, when it is a variable
  const clang::CXXRecordDecl *owner = nullptr; // Scope::Class
};

// What an accessor returns, for a call to one (a member function with no arguments whose body is
// one return statement); otherwise the expression itself.
const clang::Expr *through_accessors(const clang::Expr *e) {
  e = e->IgnoreParenImpCasts();
  for (int depth = 0; depth < 4; ++depth) {
    const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e);
    const clang::CXXMethodDecl *method = call ? call->getMethodDecl() : nullptr;
    const clang::FunctionDecl *definition = method ? method->getDefinition() : nullptr;
    const auto *body =
        definition ? llvm::dyn_cast_or_null<clang::CompoundStmt>(definition->getBody()) : nullptr;
    const auto *only =
        body && body->size() == 1 ? llvm::dyn_cast<clang::ReturnStmt>(body->body_front()) : nullptr;
    if (!only || !only->getRetValue() || call->getNumArgs() != 0 ||
        !llvm::isa<clang::CXXThisExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      break;
    e = only->getRetValue()->IgnoreParenImpCasts();
  }
  return e;
}

// Whether two expressions name the same handle: equal once accessors are seen through.
bool same(const clang::Expr *a, const clang::Expr *b, const clang::ASTContext &context) {
  llvm::FoldingSetNodeID x, y;
  through_accessors(a)->Profile(x, context, /*Canonical=*/true);
  through_accessors(b)->Profile(y, context, /*Canonical=*/true);
  return x == y;
}

// Whether every member function of a class that this unit could see has its body here: only then
// can the unit tell that none of them sets the timeout.
bool defined_here(const clang::CXXRecordDecl &owner) {
  for (const clang::CXXMethodDecl *method : owner.methods())
    if (method->isUserProvided() && !method->isPure() && !method->hasBody())
      return false;
  return true;
}

class PerformWithoutTimeout final : public GuardedCallback {
public:
  PerformWithoutTimeout(const Target &target, CppReporter &reporter)
      : target_(target), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("perform");
    const auto *function = result.Nodes.getNodeAs<clang::FunctionDecl>("function");
    if (!call || !function || !function->getBody() || call->getNumArgs() == 0)
      return;
    clang::ASTContext &context = *result.Context;
    const std::optional<Handle> handle = locate(call->getArg(0), *function, context);
    if (!handle || handed_to_helper(handle->key, handle->variable, *function->getBody(), context))
      return;
    const std::vector<std::string> set = options_set(sets(*handle, *function, context), context);
    if (bounds_transfer(set))
      return;
    if (const std::optional<bool> factory = factory_sets_timeout(*handle, *function, context);
        !factory || *factory)
      return;
    const auto *callee = call->getDirectCallee();
    reporter_.report(context, call->getBeginLoc(), call->getEndLoc(),
                     with_callee(std::any_of(set.begin(), set.end(),
                                             [&](const std::string &option) {
                                               return listed(target_.connect_options, option);
                                             })
                                     ? target_.connect_only_message
                                     : target_.message,
                                 callee ? callee->getNameAsString() : ""));
  }

private:
  // The options the setter calls give a value other than a literal 0.
  static std::vector<std::string> options_set(const std::vector<const clang::CallExpr *> &calls,
                                              clang::ASTContext &context) {
    std::vector<std::string> out;
    for (const clang::CallExpr *set : calls)
      if (const clang::EnumConstantDecl *option = option_of(set->getArg(1));
          option && nonzero(set->getArg(2), context))
        out.push_back(option->getName().str());
    return out;
  }

  // Whether those options end a transfer that stalls: one of timeout_options, or all of
  // stall_options.
  bool bounds_transfer(const std::vector<std::string> &set) const {
    const auto in_set = [&](const std::string &option) { return listed(set, option); };
    return std::any_of(target_.timeout_options.begin(), target_.timeout_options.end(), in_set) ||
           (!target_.stall_options.empty() &&
            std::all_of(target_.stall_options.begin(), target_.stall_options.end(), in_set));
  }

  bool library(const clang::FunctionDecl &callee) const {
    return llvm::StringRef("::" + callee.getQualifiedNameAsString()).startswith(target_.library);
  }

  // What the handle is rooted in, through fields, smart pointers' get() and ->, and accessors
  // (`curl`, `curl_`, `this->curl`, `curl.get()`, `holder_->handle`, `handle()`, `raw(d_curl)`);
  // nothing when it comes from a parameter, or from a local object of the project's own class (a
  // wrapper, which configures its handle itself).
  std::optional<Handle> locate(const clang::Expr *key, const clang::FunctionDecl &function,
                               clang::ASTContext &context) const {
    key = key->IgnoreParenImpCasts();
    const clang::Expr *e = key;
    bool through_project_call = false;
    for (;;) {
      e = e->IgnoreParenImpCasts();
      if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(e)) {
        e = member->getBase();
      } else if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e)) {
        if (op->getOperator() != clang::OO_Arrow && op->getOperator() != clang::OO_Star)
          return std::nullopt;
        e = op->getArg(0);
      } else if (const auto *method = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
        if (method->getNumArgs() != 0 || !method->getMethodDecl())
          return std::nullopt;
        through_project_call |= own(context.getSourceManager(), *method->getMethodDecl());
        e = method->getImplicitObjectArgument();
      } else if (const auto *free = llvm::dyn_cast<clang::CallExpr>(e)) {
        if (free->getNumArgs() != 1)
          return std::nullopt;
        e = free->getArg(0);
      } else if (const auto *unary = llvm::dyn_cast<clang::UnaryOperator>(e)) {
        if (unary->getOpcode() != clang::UO_Deref && unary->getOpcode() != clang::UO_AddrOf)
          return std::nullopt;
        e = unary->getSubExpr();
      } else {
        break;
      }
    }
    if (llvm::isa<clang::CXXThisExpr>(e)) {
      const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(&function);
      if (!method || !defined_here(*method->getParent()))
        return std::nullopt; // a member function elsewhere may set it
      return Handle{Handle::Scope::Class, key, nullptr, method->getParent()};
    }
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(e);
    const auto *var = ref ? llvm::dyn_cast<clang::VarDecl>(ref->getDecl()) : nullptr;
    if (!var || llvm::isa<clang::ParmVarDecl>(var))
      return std::nullopt; // from the caller, which may set its timeout
    if (!var->hasLocalStorage())
      return Handle{Handle::Scope::Unit, key, var, nullptr};
    const clang::CXXRecordDecl *type = var->getType()->getAsCXXRecordDecl();
    if (e != key && (through_project_call || (type && own(context.getSourceManager(), *type))))
      return std::nullopt; // held by a wrapper of the project's own
    return Handle{Handle::Scope::Function, key, var, nullptr};
  }

  StatementMatcher setter() const {
    return callExpr(calls({target_.setter}), argumentCountIs(3)).bind("set");
  }

  // The setter's calls on the handle in its scope.
  std::vector<const clang::CallExpr *> sets(const Handle &handle,
                                            const clang::FunctionDecl &function,
                                            clang::ASTContext &context) const {
    llvm::SmallVector<BoundNodes, 1> found;
    switch (handle.scope) {
    case Handle::Scope::Function:
      found = match(findAll(setter()), *function.getBody(), context);
      break;
    case Handle::Scope::Class:
      found =
          match(callExpr(setter(), forFunction(cxxMethodDecl(ofClass(equalsNode(handle.owner))))),
                context);
      break;
    case Handle::Scope::Unit:
      found = match(findAll(setter()), context);
      break;
    }
    std::vector<const clang::CallExpr *> out;
    for (const BoundNodes &nodes : found) {
      const auto *set = nodes.getNodeAs<clang::CallExpr>("set");
      if (same(set->getArg(0), handle.key, context))
        out.push_back(set);
    }
    return out;
  }

  // Whether a body hands the handle (`key`, or the `variable` it is rooted in) to code that may
  // set its timeout: a function of the project's own (not the library's: libcurl may be
  // vendored), or a function pointer or callable object.
  bool handed_to_helper(const clang::Expr *key, const clang::VarDecl *variable,
                        const clang::Stmt &body, clang::ASTContext &context) const {
    const clang::SourceManager &sm = context.getSourceManager();
    for (const BoundNodes &nodes : match(findAll(callExpr().bind("call")), body, context)) {
      const auto *call = nodes.getNodeAs<clang::CallExpr>("call");
      const clang::FunctionDecl *callee = call->getDirectCallee();
      const bool helper =
          !callee ||
          (llvm::isa<clang::CXXOperatorCallExpr>(call) &&
           llvm::cast<clang::CXXOperatorCallExpr>(call)->getOperator() == clang::OO_Call) ||
          (own(sm, *callee) && !library(*callee));
      if (!helper)
        continue;
      for (const clang::Expr *argument : call->arguments()) {
        argument = argument->IgnoreParenImpCasts();
        if (key && same(argument, key, context))
          return true;
        if (const auto *unary = llvm::dyn_cast<clang::UnaryOperator>(argument);
            unary && unary->getOpcode() == clang::UO_AddrOf)
          argument = unary->getSubExpr()->IgnoreParenImpCasts();
        const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(argument);
        if (variable && ref && ref->getDecl() == variable)
          return true;
      }
    }
    return false;
  }

  // For a local handle made by a function of the project's own (`curl = setup_curl(...)`):
  // whether that function sets a timeout on what it makes (nothing when its body is not in this
  // unit, or when it hands what it returns to a helper of its own: then this unit cannot tell). A
  // handle made only by the library gives false.
  std::optional<bool> factory_sets_timeout(const Handle &handle,
                                           const clang::FunctionDecl &function,
                                           clang::ASTContext &context) const {
    if (handle.scope != Handle::Scope::Function ||
        handle.key->IgnoreParenImpCasts() != handle.key ||
        !llvm::isa<clang::DeclRefExpr>(handle.key))
      return false;
    std::vector<const clang::Expr *> made;
    if (handle.variable->getInit())
      made.push_back(handle.variable->getInit());
    const auto assigned = binaryOperator(
        isAssignmentOperator(),
        hasLHS(ignoringParenImpCasts(declRefExpr(to(varDecl(equalsNode(handle.variable)))))),
        hasRHS(expr().bind("made")));
    for (const BoundNodes &nodes : match(findAll(assigned), *function.getBody(), context))
      made.push_back(nodes.getNodeAs<clang::Expr>("made"));
    for (const clang::Expr *value : made) {
      const auto *factory = llvm::dyn_cast<clang::CallExpr>(value->IgnoreParenImpCasts());
      const clang::FunctionDecl *callee = factory ? factory->getDirectCallee() : nullptr;
      if (!factory || (callee && library(*callee)))
        continue;
      const clang::FunctionDecl *body = callee ? callee->getDefinition() : nullptr;
      if (!body || !body->getBody())
        return std::nullopt;
      // What the factory returns is judged as the factory's own local.
      const auto returned = returnStmt(
          hasReturnValue(ignoringParenImpCasts(declRefExpr(to(varDecl().bind("made"))))));
      for (const BoundNodes &nodes : match(findAll(returned), *body->getBody(), context)) {
        if (handed_to_helper(nullptr, nodes.getNodeAs<clang::VarDecl>("made"), *body->getBody(),
                             context))
          return std::nullopt;
      }
      std::vector<const clang::CallExpr *> calls;
      for (const BoundNodes &nodes : match(findAll(setter()), *body->getBody(), context))
        calls.push_back(nodes.getNodeAs<clang::CallExpr>("set"));
      if (bounds_transfer(options_set(calls, context)))
        return true;
    }
    return false;
  }

  const Target &target_;
  CppReporter &reporter_;
};

class MissingHttpTimeout final : public CppCheck {
public:
  using Targets = std::vector<Target>;
  static Targets parse_targets(const TargetReader &targets, const Rule &) {
    return build_targets(targets);
  }

  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    for (const Target &target : reporter.context().targets<MissingHttpTimeout>()) {
      auto callback = std::make_unique<PerformWithoutTimeout>(target, reporter);
      finder.addMatcher(callExpr(calls(target.perform),
                                 forFunction(functionDecl(isDefinition()).bind("function")))
                            .bind("perform"),
                        callback.get());
      callbacks.push_back(std::move(callback));
    }
    return callbacks;
  }

  std::vector<std::string> required_names(const RuleSettings &rule) const override {
    return names_in(typed_targets<MissingHttpTimeout>(rule, Language::Cpp), &Target::perform);
  }
};

LEASH_REGISTER_CHECK(CppCheck, MissingHttpTimeout, "missing-http-timeout");

} // namespace

} // namespace leash::cpp
