// grow-only-container for C++: data members of standard containers that the class's member
// functions grow and never shrink. Every use of such a member in the translation unit is
// classified from its parents in the AST (grow, shrink, read, or escape: handed out by non-const
// reference or pointer); members are judged once the whole unit has been seen.
#include "frontend/cpp/cpp_check.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace leash::cpp {

namespace {

using namespace clang;
using namespace clang::ast_matchers;

struct Vocabulary {
  std::vector<std::string> containers, keyed, shrink_functions;
  std::set<std::string, std::less<>> grow, shrink;
};

Vocabulary build_vocabulary(const nlohmann::json &targets) {
  const nlohmann::json &cpp = targets.at("cpp");
  Vocabulary v;
  v.containers = cpp.at("containers").get<std::vector<std::string>>();
  v.keyed = cpp.at("keyed").get<std::vector<std::string>>();
  v.shrink_functions = cpp.at("shrink_functions").get<std::vector<std::string>>();
  for (const auto &name : cpp.at("grow"))
    v.grow.insert(name.get<std::string>());
  for (const auto &name : cpp.at("shrink"))
    v.shrink.insert(name.get<std::string>());
  return v;
}

enum class Use { Read, Grow, Shrink, Escape };

struct Member {
  const FieldDecl *field = nullptr;
  bool declared = false; // in the main file (uses may be of members declared elsewhere)
  bool keyed = false;
  const Expr *grows_at = nullptr;
  bool shrinks = false, escapes = false;
};

bool non_const_handle(QualType type) {
  if (type->isReferenceType() || type->isPointerType())
    return !type->getPointeeType().isConstQualified();
  return false;
}

class Collector final : public GuardedCallback {
public:
  Collector(const Vocabulary &vocabulary, CppReporter &reporter)
      : vocabulary_(vocabulary), reporter_(reporter) {}

  void on_match(const MatchFinder::MatchResult &result) override {
    context_ = result.Context;
    sm_ = result.SourceManager;
    if (const auto *field = result.Nodes.getNodeAs<FieldDecl>("member")) {
      Member &member = members_[field->getCanonicalDecl()];
      member.field = field->getCanonicalDecl();
      member.declared = true;
      member.keyed = keyed(field->getType());
    } else if (const auto *use = result.Nodes.getNodeAs<MemberExpr>("use")) {
      const auto *field = llvm::dyn_cast<FieldDecl>(use->getMemberDecl());
      Member &member = members_[field->getCanonicalDecl()];
      if (!member.field) { // a use seen before its declaration was matched
        member.field = field->getCanonicalDecl();
        member.keyed = keyed(field->getType());
      }
      switch (classify(*use, member)) {
      case Use::Grow:
        if (!member.grows_at)
          member.grows_at = use;
        break;
      case Use::Shrink:
        member.shrinks = true;
        break;
      case Use::Escape:
        member.escapes = true;
        break;
      case Use::Read:
        break;
      }
    }
  }

  void on_end_of_unit() override {
    for (const auto &[decl, member] : members_) {
      if (!member.declared || !member.grows_at || member.shrinks || member.escapes)
        continue;
      const unsigned line = sm_->getExpansionLineNumber(member.grows_at->getBeginLoc());
      reporter_.report(
          *context_, member.field->getLocation(), member.field->getLocation(),
          fmt::format("{} (a {}) is added to (line {}) but never removed from, so it grows for "
                      "as long as the object lives: erase entries when they are done with, "
                      "or bound it",
                      member.field->getNameAsString(), member.field->getType().getAsString(),
                      line));
    }
  }

private:
  // Whether operator[] adds keys to a container of this type (std::map, not std::vector).
  bool keyed(QualType type) const {
    const CXXRecordDecl *record = type->getAsCXXRecordDecl();
    if (!record)
      return false;
    const std::string name = "::" + record->getQualifiedNameAsString();
    return std::find(vocabulary_.keyed.begin(), vocabulary_.keyed.end(), name) !=
           vocabulary_.keyed.end();
  }

  const Stmt *parent_of(const Stmt &node) const {
    const auto parents = context_->getParents(node);
    return parents.empty() ? nullptr : parents[0].get<Stmt>();
  }

  // Skips implicit casts and parentheses upward.
  const Stmt *meaningful_parent(const Stmt &node, const Stmt *&child) const {
    child = &node;
    const Stmt *parent = parent_of(node);
    while (parent && (llvm::isa<ImplicitCastExpr>(parent) || llvm::isa<ParenExpr>(parent) ||
                      llvm::isa<MaterializeTemporaryExpr>(parent))) {
      child = parent;
      parent = parent_of(*parent);
    }
    return parent;
  }

  Use classify(const MemberExpr &use, const Member &member) const {
    const Stmt *child = nullptr;
    const Stmt *parent = meaningful_parent(use, child);
    if (!parent) {
      // A use outside a statement: a variable's initializer, a default member initializer.
      const auto parents = context_->getParents(*child);
      if (!parents.empty())
        if (const auto *var = parents[0].get<VarDecl>())
          return non_const_handle(var->getType()) ? Use::Escape : Use::Read;
      return Use::Read;
    }
    if (const auto *access = llvm::dyn_cast<MemberExpr>(parent)) { // m_.insert(...)
      const auto *method = llvm::dyn_cast<CXXMethodDecl>(access->getMemberDecl());
      const std::string name = method ? method->getNameAsString() : "";
      if (vocabulary_.grow.contains(name))
        return Use::Grow;
      if (vocabulary_.shrink.contains(name))
        return Use::Shrink;
      return Use::Read;
    }
    if (const auto *op = llvm::dyn_cast<CXXOperatorCallExpr>(parent)) {
      const bool first = op->getNumArgs() > 0 && op->getArg(0)->IgnoreParenImpCasts() == &use;
      if (first && op->getOperator() == OO_Subscript)
        return member.keyed ? Use::Grow : Use::Read;
      if (first && op->getOperator() == OO_Equal)
        return Use::Shrink; // replaced wholesale
      return Use::Read;
    }
    if (const auto *call = llvm::dyn_cast<CallExpr>(parent)) {
      const FunctionDecl *callee = call->getDirectCallee();
      if (!callee)
        return Use::Escape;
      for (const std::string &name : vocabulary_.shrink_functions)
        if (callee->getQualifiedNameAsString() == llvm::StringRef(name).drop_front(2))
          return Use::Shrink;
      for (unsigned i = 0; i < call->getNumArgs() && i < callee->getNumParams(); ++i)
        if (call->getArg(i)->IgnoreParenImpCasts() == child ||
            call->getArg(i)->IgnoreParenImpCasts() == &use)
          return non_const_handle(callee->getParamDecl(i)->getType()) ? Use::Escape : Use::Read;
      return Use::Escape;
    }
    if (const auto *unary = llvm::dyn_cast<UnaryOperator>(parent))
      return unary->getOpcode() == UO_AddrOf ? Use::Escape : Use::Read;
    if (llvm::isa<ReturnStmt>(parent)) {
      const auto parents = context_->getParents(*parent);
      for (DynTypedNodeList up = parents; !up.empty(); up = context_->getParents(up[0])) {
        if (const auto *function = up[0].get<FunctionDecl>())
          return non_const_handle(function->getReturnType()) ? Use::Escape : Use::Read;
      }
      return Use::Escape;
    }
    if (llvm::isa<CXXForRangeStmt>(parent) || llvm::isa<CXXMemberCallExpr>(parent) ||
        llvm::isa<BinaryOperator>(parent) || llvm::isa<IfStmt>(parent))
      return Use::Read;
    if (llvm::isa<DeclStmt>(parent)) {
      for (const Decl *decl : llvm::cast<DeclStmt>(parent)->decls())
        if (const auto *var = llvm::dyn_cast<VarDecl>(decl);
            var && non_const_handle(var->getType()))
          return Use::Escape;
      return Use::Read;
    }
    return Use::Escape; // anything else: be quiet rather than wrong
  }

  const Vocabulary &vocabulary_;
  CppReporter &reporter_;
  ASTContext *context_ = nullptr;
  const SourceManager *sm_ = nullptr;
  std::map<const FieldDecl *, Member> members_;
};

class GrowOnlyContainer final : public CppCheck {
public:
  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const auto vocabulary =
        parsed_targets<Vocabulary>(reporter.context().targets(), build_vocabulary);
    auto collector = std::make_unique<Collector>(*vocabulary, reporter);
    const auto container = hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
        classTemplateSpecializationDecl(hasAnyName(name_refs(vocabulary->containers)))))));
    // Not in template instantiations: only the member functions used get instantiated, so a
    // clear() nobody calls yet would be missed.
    finder.addMatcher(fieldDecl(container, isExpansionInMainFile(), unless(isImplicit()),
                                unless(hasDeclContext(classTemplateSpecializationDecl())))
                          .bind("member"),
                      collector.get());
    finder.addMatcher(memberExpr(member(fieldDecl(container)), isExpansionInMainFile(),
                                 hasAncestor(cxxMethodDecl()), unless(isInTemplateInstantiation()))
                          .bind("use"),
                      collector.get());
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    callbacks.push_back(std::move(collector));
    return callbacks;
  }
};

LEASH_REGISTER_CHECK(CppCheck, GrowOnlyContainer, "grow-only-container");

} // namespace

} // namespace leash::cpp
