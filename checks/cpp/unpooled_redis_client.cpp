// unpooled-redis-client for C++: hiredis connections and redis-plus-plus clients made inside a
// loop of their own function, and redis-plus-plus clients without ConnectionPoolOptions (one
// connection for every caller), built directly or through std::make_shared / std::make_unique.
// Names and messages: targets.cpp in the rule's YAML.
#include "frontend/cpp/cpp_check.h"

#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <algorithm>

namespace leash::cpp {

namespace {

using namespace clang::ast_matchers;

struct Targets {
  std::vector<std::string> loop_functions, clients, connect_from;
  std::string pool_options, uri_pool_option, loop_message, unpooled_message;
};

// The schema of targets.cpp (see rules/unpooled-redis-client.yaml).
Targets build_targets(const TargetReader &targets) {
  const auto r = targets.record({"loop_functions", "clients", "connect_from", "pool_options",
                                 "uri_pool_option", "loop_message", "unpooled_message"});
  return {qualified_names(r.required("loop_functions")), qualified_names(r.required("clients")),
          qualified_names(r.required("connect_from")),   qualified_name(r.required("pool_options")),
          r.required("uri_pool_option").string(),        r.required("loop_message").string(),
          r.required("unpooled_message").string()};
}

class Unpooled final : public GuardedCallback {
public:
  Unpooled(const Targets &targets, CppReporter &reporter)
      : targets_(targets), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    const bool in_loop = result.Nodes.getNodeAs<clang::Stmt>("loop") != nullptr;
    if (const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("connect")) {
      if (kept_in_member(*call, *result.Context))
        return; // a pool's connections, made once each
      const auto *callee = call->getDirectCallee();
      report(result, call,
             with_callee(targets_.loop_message, callee ? callee->getNameAsString() : ""));
      return;
    }
    const auto client = construction(result);
    if (!client || !connects(*client))
      return;
    const std::string type = client->type->getQualifiedNameAsString();
    if (in_loop) {
      report(result, client->at, with_callee(targets_.loop_message, type));
      return;
    }
    for (const clang::Expr *arg : client->args) {
      if (is_class(arg->getType(), targets_.pool_options))
        return;
      if (const auto *text = llvm::dyn_cast<clang::StringLiteral>(bare(arg));
          text && text->getBytes().contains(targets_.uri_pool_option + "="))
        return;
    }
    report(result, client->at, with_callee(targets_.unpooled_message, type));
  }

private:
  // Whether the connection is kept in a data member of the object, as a pool fills itself
  // (`pool_.push(redisConnect(...))`, `conns_[i] = c`), directly or through the local it is
  // first given to: then the loop makes the pool's connections, not one per pass.
  static bool kept_in_member(const clang::CallExpr &call, clang::ASTContext &context) {
    const clang::VarDecl *local = nullptr;
    const clang::Stmt *value = &call;
    for (int step = 0; step < 8; ++step) {
      const auto parents = context.getParents(*value);
      if (parents.empty())
        return false;
      if (const auto *var = parents[0].get<clang::VarDecl>()) { // redisContext *c = ...
        local = var;
        break;
      }
      const auto *parent = parents[0].get<clang::Stmt>();
      if (!parent)
        return false;
      if (stores_in_member(*parent, *value))
        return true;
      if (!llvm::isa<clang::ImplicitCastExpr>(parent) && !llvm::isa<clang::ParenExpr>(parent) &&
          !llvm::isa<clang::CXXBindTemporaryExpr>(parent) &&
          !llvm::isa<clang::MaterializeTemporaryExpr>(parent))
        return false;
      value = parent;
    }
    if (!local)
      return false;
    // The local handed to a member afterwards, in the same function.
    const auto *function = llvm::dyn_cast_or_null<clang::FunctionDecl>(local->getDeclContext());
    if (!function || !function->getBody())
      return false;
    bool kept = false;
    std::vector<const clang::Stmt *> pending = {function->getBody()};
    while (!pending.empty() && !kept) {
      const clang::Stmt *node = pending.back();
      pending.pop_back();
      if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node);
          ref && ref->getDecl() == local) {
        const clang::Stmt *use = ref;
        for (int step = 0; step < 4 && !kept; ++step) {
          const auto parents = context.getParents(*use);
          const auto *parent = parents.empty() ? nullptr : parents[0].get<clang::Stmt>();
          if (!parent)
            break;
          kept = stores_in_member(*parent, *use);
          if (!llvm::isa<clang::ImplicitCastExpr>(parent) && !llvm::isa<clang::ParenExpr>(parent))
            break;
          use = parent;
        }
      }
      for (const clang::Stmt *child : node->children())
        if (child)
          pending.push_back(child);
    }
    return kept;
  }

  // Whether `parent` stores `value` in a data member: as an argument of a member container's
  // method (`pool_.push_back(c)`), or assigned to a member or an element of one.
  static bool stores_in_member(const clang::Stmt &parent, const clang::Stmt &value) {
    const auto is_member = [](const clang::Expr *e) {
      e = e->IgnoreParenImpCasts();
      if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e);
          op && op->getOperator() == clang::OO_Subscript)
        e = op->getArg(0)->IgnoreParenImpCasts();
      else if (const auto *subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(e))
        e = subscript->getBase()->IgnoreParenImpCasts();
      const auto *member = llvm::dyn_cast<clang::MemberExpr>(e);
      return member && llvm::isa<clang::FieldDecl>(member->getMemberDecl()) &&
             llvm::isa<clang::CXXThisExpr>(member->getBase()->IgnoreParenImpCasts());
    };
    if (const auto *method = llvm::dyn_cast<clang::CXXMemberCallExpr>(&parent))
      return method->getImplicitObjectArgument() &&
             is_member(method->getImplicitObjectArgument()) &&
             std::any_of(method->arg_begin(), method->arg_end(), [&](const clang::Expr *arg) {
               return arg->IgnoreParenImpCasts() == &value || arg == &value;
             });
    if (const auto *assign = llvm::dyn_cast<clang::BinaryOperator>(&parent))
      return assign->getOpcode() == clang::BO_Assign && assign->getRHS() == &value &&
             is_member(assign->getLHS());
    if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(&parent))
      return op->getOperator() == clang::OO_Equal && op->getNumArgs() == 2 &&
             op->getArg(1) == &value && is_member(op->getArg(0));
    return false;
  }

  // Whether this construction opens connections: it takes options or a URI first (by the
  // constructor's parameter, or through a factory by the argument as written).
  bool connects(const Construction &client) const {
    clang::QualType first;
    if (client.constructor && client.constructor->getNumParams() > 0)
      first = client.constructor->getParamDecl(0)->getType();
    else if (!client.constructor && !client.args.empty())
      first = client.args[0]->getType();
    if (first.isNull())
      return false;
    first = first.getNonReferenceType();
    if ((first->isPointerType() && first->getPointeeType()->isAnyCharacterType()) ||
        (first->isArrayType() && first->getArrayElementTypeNoTypeQual()->isAnyCharacterType()))
      return true;
    return is_class(first, targets_.connect_from);
  }

  void report(const MatchFinder::MatchResult &result, const clang::Expr *at, std::string message) {
    reporter_.report(*result.Context, at->getBeginLoc(), at->getEndLoc(), std::move(message));
  }

  const Targets &targets_;
  CppReporter &reporter_;
};

class UnpooledRedisClient final : public CppCheck {
public:
  using Targets = leash::cpp::Targets;
  static Targets parse_targets(const TargetReader &targets, const Rule &) {
    return build_targets(targets);
  }

  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const Targets *targets = &reporter.context().targets<UnpooledRedisClient>();
    auto callback = std::make_unique<Unpooled>(*targets, reporter);
    // A loop of the same function: a lambda or local class in the loop runs on its own terms.
    const auto loop = stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt()),
                           forFunction(equalsBoundNode("function")))
                          .bind("loop");
    finder.addMatcher(callExpr(calls(targets->loop_functions),
                               forFunction(functionDecl().bind("function")), hasAncestor(loop))
                          .bind("connect"),
                      callback.get());
    match_builds(finder, targets->clients, callback.get(),
                 forFunction(functionDecl().bind("function")), optionally(hasAncestor(loop)));
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    callbacks.push_back(std::move(callback));
    return callbacks;
  }

  std::vector<std::string> required_names(const RuleSettings &rule) const override {
    return names_in(std::vector{typed_targets<UnpooledRedisClient>(rule, Language::Cpp)},
                    &Targets::loop_functions, &Targets::clients);
  }
};

LEASH_REGISTER_CHECK(CppCheck, UnpooledRedisClient, "unpooled-redis-client");

} // namespace

} // namespace leash::cpp
