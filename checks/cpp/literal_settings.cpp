// A C++ engine for "this call's string-literal settings must mention this": a libpq conninfo
// without connect_timeout or statement_timeout, say. Fed by `targets.cpp` of the rules it serves:
//
//   - callees: ["::PQconnectdb"]              # functions, by fully qualified name
//     classes: ["::pqxx::basic_connection_base"]  # constructors of these classes (and typedefs)
//     literal_contains: [connect_timeout, statement_timeout]
//     message: "...{callee}..."
//
// A call is judged only when its string arguments are literals: a conninfo built at run time may
// well carry the setting, and leash does not guess.
#include "frontend/cpp/cpp_check.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

namespace leash::cpp {

namespace {

using namespace clang::ast_matchers;

struct Target {
  std::vector<std::string> callees, classes, literal_contains;
  std::string message;
};

// The schema of targets.cpp: entries of `callees` (functions whose string argument is a conninfo)
// or `classes` (whose constructors take one), the settings one of which the string must hold,
// and the message.
std::vector<Target> build_targets(const TargetReader &targets) {
  std::vector<Target> out;
  for (const TargetReader &entry : targets.items()) {
    const auto r = entry.record({"callees", "classes", "literal_contains", "message"});
    Target t;
    if (r.has("callees") == r.has("classes"))
      entry.fail("an entry names `callees` or `classes`, one of them");
    if (const auto callees = r.get("callees"))
      t.callees = qualified_names(*callees);
    if (const auto classes = r.get("classes"))
      t.classes = qualified_names(*classes);
    t.literal_contains = r.required("literal_contains").strings();
    if (t.literal_contains.empty())
      r.required("literal_contains").fail("`literal_contains` names no setting");
    t.message = r.required("message").string();
    out.push_back(std::move(t));
  }
  return out;
}

class LiteralSettings final : public GuardedCallback {
public:
  LiteralSettings(const Target &target, CppReporter &reporter)
      : target_(target), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    std::vector<const clang::Expr *> args;
    std::string callee;
    const clang::Expr *at = nullptr;
    if (const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("call")) {
      args.assign(call->arg_begin(), call->arg_end());
      if (const auto *decl = call->getDirectCallee())
        callee = decl->getQualifiedNameAsString();
      at = call;
    } else if (const auto *construct = result.Nodes.getNodeAs<clang::CXXConstructExpr>("make")) {
      args.assign(construct->arg_begin(), construct->arg_end());
      callee = construct->getType().getAsString();
      at = construct;
    }
    if (!at)
      return;
    bool any_literal = false, any_other = false, mentions = false;
    std::vector<llvm::StringRef> literals;
    for (const clang::Expr *arg : args) {
      const clang::Expr *value = bare(arg); // std::string("...") is its literal
      if (llvm::isa<clang::CXXDefaultArgExpr>(value) || llvm::isa<clang::GNUNullExpr>(value) ||
          llvm::isa<clang::CXXNullPtrLiteralExpr>(value) || llvm::isa<clang::IntegerLiteral>(value))
        continue; // defaults and NULLs say nothing
      const auto *literal = llvm::dyn_cast<clang::StringLiteral>(value);
      if (!literal) {
        any_other = true;
        continue;
      }
      if (literal->getLength() == 0) { // "": libpq takes everything from PG* variables
        any_other = true;
        continue;
      }
      any_literal = true;
      literals.push_back(literal->getBytes());
      for (const std::string &needle : target_.literal_contains)
        mentions |= literal->getBytes().contains(needle);
    }
    if (!any_literal || any_other || mentions)
      return;
    // A conninfo (the only argument: PQsetdbLogin's are a host, a database name, ...) that is
    // neither `key=value` pairs nor a URI is one libpq rejects before connecting anywhere (a
    // test of the error path).
    const auto explicit_args = std::count_if(args.begin(), args.end(), [](const clang::Expr *arg) {
      return !llvm::isa<clang::CXXDefaultArgExpr>(arg->IgnoreParenImpCasts());
    });
    if (explicit_args == 1 && !literals[0].contains('=') && !literals[0].starts_with("postgres"))
      return;
    reporter_.report(*result.Context, at->getBeginLoc(), at->getEndLoc(),
                     with_callee(target_.message, callee));
  }

private:
  const Target &target_;
  CppReporter &reporter_;
};

class LiteralSettingsCheck final : public CppCheck {
public:
  using Targets = std::vector<Target>;
  static Targets parse_targets(const TargetReader &targets, const Rule &) {
    return build_targets(targets);
  }

  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const Targets *targets = &reporter.context().targets<LiteralSettingsCheck>();
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    for (const Target &target : *targets) {
      auto callback = std::make_unique<LiteralSettings>(target, reporter);
      if (!target.callees.empty())
        finder.addMatcher(callExpr(calls(target.callees)).bind("call"), callback.get());
      if (!target.classes.empty())
        finder.addMatcher(cxxConstructExpr(constructs(target.classes)).bind("make"),
                          callback.get());
      callbacks.push_back(std::move(callback));
    }
    return callbacks;
  }

  std::vector<std::string> required_names(const RuleSettings &rule) const override {
    return names_in(typed_targets<LiteralSettingsCheck>(rule, Language::Cpp), &Target::callees,
                    &Target::classes);
  }
};

LEASH_REGISTER_CHECK(CppCheck, LiteralSettingsCheck, "missing-command-timeout");

} // namespace

} // namespace leash::cpp
