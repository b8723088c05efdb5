// grow-only-container for C++: data members of standard containers that the class's member
// functions grow and never shrink. Every use of such a member is classified from its parents in
// the AST (grow, shrink, read, or escape: handed out by non-const reference or pointer).
//
// A class declared in a header has its member functions spread over several units, so no unit
// can judge it alone: each unit reports what it saw (a grow, as a conditional finding; a shrink
// or escape, as the fact refuting it; the member functions it defines), and the scan decides
// (core/scan.cpp). A member is reported only when the scan saw the definition of every member
// function and friend function of its class: running on a few files never guesses about the
// rest. As in Python, only classes whose objects may outlive a request are judged: one held by a
// global, a static, a local of main(), or another object's member.
#include "core/discovery.h"
#include "core/strings.h"
#include "frontend/cpp/cpp_check.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <llvm/ADT/DenseMap.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace leash::cpp {

namespace {

using namespace clang;
using namespace clang::ast_matchers;

struct Vocabulary {
  std::vector<std::string> containers, keyed, shrink_functions;
  std::set<std::string, std::less<>> grow, shrink;
  std::set<std::string, std::less<>> setup_words; // words of a set-up function's name
};

// The schema of targets.cpp (see rules/grow-only-container.yaml).
Vocabulary build_vocabulary(const TargetReader &targets) {
  const auto r =
      targets.record({"containers", "keyed", "grow", "shrink", "shrink_functions", "setup_words"});
  Vocabulary v;
  v.setup_words = r.required("setup_words").words();
  v.containers = qualified_names(r.required("containers"));
  v.keyed = qualified_names(r.required("keyed"));
  v.shrink_functions = qualified_names(r.required("shrink_functions"));
  for (const std::string &name : r.required("grow").strings())
    v.grow.insert(name);
  for (const std::string &name : r.required("shrink").strings())
    v.shrink.insert(name);
  return v;
}

// GrowByKey: m_[key] on a map, which adds the key but is often meant as a lookup.
enum class Use { Read, Grow, GrowByKey, Shrink, Escape };

// Where a member grows in one function: the first insert() or push_back(), else a map[key].
struct Growth {
  const Expr *at = nullptr;
  bool by_key = false;
};

struct Member {
  const FieldDecl *field = nullptr;
  bool keyed = false;
  std::map<const FunctionDecl *, Growth> grows; // by the function (or lambda) it is in
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
    // A unit of tests or vendored code is neither judged nor heard: a test's static object or
    // clear() says nothing of the program's.
    if (!judged_unit_)
      judged_unit_ = !not_long_lived(reporter_.context().source().path());
    if (!*judged_unit_)
      return;
    if (const auto *function = result.Nodes.getNodeAs<FunctionDecl>("defined")) {
      if (!may_be_needed(*function))
        return;
      if (const std::string key = reporter_.key(*sm_, *function->getCanonicalDecl()); !key.empty())
        reporter_.context().provide("defined " + key);
    } else if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) {
      called(*call, *result.Nodes.getNodeAs<CXXMethodDecl>("callee"));
    } else if (const auto *field = result.Nodes.getNodeAs<FieldDecl>("held")) {
      long_lived(field->getType(), field->getParent());
    } else if (const auto *var = result.Nodes.getNodeAs<VarDecl>("held")) {
      long_lived(var->getType(), nullptr);
    } else if (const auto *use = result.Nodes.getNodeAs<MemberExpr>("use")) {
      Member &m = member(*llvm::cast<FieldDecl>(use->getMemberDecl()));
      const Use use_kind = classify(*use, m);
      switch (use_kind) {
      case Use::Grow:
      case Use::GrowByKey: {
        // Filling a member while the object is built or set up is not growing it over its
        // lifetime. The message names an insert() or push_back() rather than a map[key].
        const bool by_key = use_kind == Use::GrowByKey;
        const FunctionDecl *function = enclosing_function(*use);
        if (setup(function))
          break;
        Growth &growth = m.grows[function];
        if (!growth.at || (growth.by_key && !by_key))
          growth = {use, by_key};
        break;
      }
      case Use::Shrink:
        m.shrinks = true;
        break;
      case Use::Escape:
        m.escapes = true;
        break;
      case Use::Read:
        break;
      }
    }
  }

  void on_end_of_unit() override {
    for (const auto &[decl, m] : members_) {
      const std::string key = reporter_.key(*sm_, *m.field);
      if (key.empty())
        continue; // declared outside the scanned tree
      if (not_long_lived(
              display_path(sm_->getFilename(sm_->getFileLoc(m.field->getLocation())).str())))
        continue; // a vendored header, or a test's
      if (m.shrinks || m.escapes) {
        reporter_.context().provide("bounded " + key);
        continue;
      }
      if (m.grows.empty())
        continue;
      const auto &record = *llvm::cast<CXXRecordDecl>(m.field->getParent());
      auto needs = definitions_needed(record);
      if (!needs)
        continue;
      needs->push_back("long-lived " + class_key(record));
      // A class nested in another is reached through the enclosing one's member functions.
      bool known = true;
      for (const DeclContext *outer = record.getParent(); known && outer;
           outer = outer->getParent())
        if (const auto *enclosing = llvm::dyn_cast<CXXRecordDecl>(outer))
          known = add_definitions_needed(*enclosing, *needs);
      if (!known)
        continue;
      for (const auto &[function, growth] : m.grows) {
        const std::string message = fmt::format(
            "{} (a {}) is added to ({}) but never removed from, so it grows for as long as the "
            "object lives: erase entries when they are done with, or bound it",
            m.field->getNameAsString(), m.field->getType().getAsString(),
            reporter_.where(*sm_, growth.at->getBeginLoc(), m.field->getLocation()));
        // A unit that saw an insert() is preferred to one that saw only a map[key].
        Condition condition{*needs, "bounded " + key, growth.by_key ? 1 : 0, {}, std::nullopt};
        const std::string grower = function ? function_key(*function) : "";
        if (grower.empty()) {
          reporter_.report_if(*context_, m.field->getLocation(), m.field->getLocation(), message,
                              std::move(condition));
          continue;
        }
        // Growth in a function the scan sees called only while things are set up (a helper
        // of init()) is not growth over the object's lifetime: reported when it is called later
        // too, or never (a callback, a virtual override: when it runs is not known).
        Condition later = condition;
        later.needs.push_back("called-later " + grower);
        condition.also_refuted_by.push_back("called " + grower);
        reporter_.report_if(*context_, m.field->getLocation(), m.field->getLocation(), message,
                            std::move(later));
        reporter_.report_if(*context_, m.field->getLocation(), m.field->getLocation(), message,
                            std::move(condition));
      }
    }
  }

private:
  // Whether code in `function` runs while things are set up: a constructor, or a function whose
  // name says so (a word of `setup_words`: `init`, `setUpThreads`, `registerHandler`).
  bool setup(const FunctionDecl *function) const {
    if (!function)
      return false;
    if (llvm::isa<CXXConstructorDecl>(function))
      return true;
    const IdentifierInfo *name = function->getIdentifier();
    return name && names_any_word(name->getName(), vocabulary_.setup_words);
  }

  // A member function's name in "called" facts: its template's for an instantiation's.
  std::string function_key(const FunctionDecl &function) const {
    const FunctionDecl *pattern = function.getTemplateInstantiationPattern();
    return reporter_.key(*sm_, *(pattern ? pattern : &function)->getCanonicalDecl());
  }

  // A call of a member function of a class that holds a container: says it is called, and
  // whether it is called after start-up (not from a constructor, set-up code, or main() outside
  // its loops).
  void called(const CallExpr &call, const CXXMethodDecl &method) {
    if (!holds_container(outermost(*method.getParent())))
      return;
    auto [it, fresh] = calls_.try_emplace(method.getCanonicalDecl());
    Calls &calls = it->second;
    if (fresh) {
      calls.key = function_key(method);
      if (!calls.key.empty())
        reporter_.context().provide("called " + calls.key);
    }
    if (calls.key.empty() || calls.later)
      return; // declared outside the scanned tree, or already known to run later
    const FunctionDecl *caller = enclosing_function(call);
    calls.later = !setup(caller) && !(caller && caller->isMain() && !in_loop(call));
    if (calls.later)
      reporter_.context().provide("called-later " + calls.key);
  }

  // Whether `node` is in a loop of the function it is in.
  bool in_loop(const Stmt &node) const {
    for (DynTypedNodeList up = context_->getParents(node); !up.empty();
         up = context_->getParents(up[0])) {
      if (up[0].get<FunctionDecl>())
        return false;
      if (const auto *statement = up[0].get<Stmt>();
          statement && (llvm::isa<ForStmt>(statement) || llvm::isa<WhileStmt>(statement) ||
                        llvm::isa<DoStmt>(statement) || llvm::isa<CXXForRangeStmt>(statement)))
        return true;
    }
    return false;
  }

  bool not_long_lived(std::string_view path) const {
    return reporter_.context().path_matches_option("not-long-lived", path);
  }

  // Whether operator[] adds keys to a container of this type (std::map, not std::vector).
  bool keyed(QualType type) const { return is_class(type, vocabulary_.keyed); }

  // Whether `record`, or a class nested in it, has a member of a standard container: only then
  // do facts about it matter (a scan of a large tree would otherwise note every function).
  bool holds_container(const CXXRecordDecl &record) {
    const CXXRecordDecl *definition = record.getDefinition();
    if (!definition)
      return true; // cannot tell
    auto [it, fresh] = holds_container_.try_emplace(definition, false);
    if (!fresh)
      return it->second;
    bool holds = false;
    for (const FieldDecl *field : definition->fields())
      holds = holds || is_class(field->getType(), vocabulary_.containers);
    for (const Decl *decl : definition->decls())
      if (const auto *nested = llvm::dyn_cast<CXXRecordDecl>(decl);
          !holds && nested && !nested->isInjectedClassName())
        holds = holds_container(*nested);
    return holds_container_[definition] = holds;
  }

  // The outermost class `record` is nested in (itself if none): facts concern the whole nest.
  static const CXXRecordDecl &outermost(const CXXRecordDecl &record) {
    const CXXRecordDecl *out = &record;
    while (const auto *enclosing = llvm::dyn_cast<CXXRecordDecl>(out->getParent()))
      out = enclosing;
    return *out;
  }

  // Whether some class's judgement may need `function`'s definition: a member function of a
  // class nest that holds a container, or a friend function.
  bool may_be_needed(const FunctionDecl &function) {
    if (const auto *method = llvm::dyn_cast<CXXMethodDecl>(&function))
      return holds_container(outermost(*method->getParent()));
    for (const FunctionDecl *redeclaration : function.redecls())
      if (redeclaration->getFriendObjectKind() != Decl::FOK_None)
        return true;
    return false;
  }

  const Stmt *parent_of(const Stmt &node) const {
    const auto parents = context_->getParents(node);
    return parents.empty() ? nullptr : parents[0].get<Stmt>();
  }

  // The function (or lambda) whose body holds `node`.
  const FunctionDecl *enclosing_function(const Stmt &node) const {
    for (DynTypedNodeList up = context_->getParents(node); !up.empty();
         up = context_->getParents(up[0]))
      if (const auto *function = up[0].get<FunctionDecl>())
        return function;
    return nullptr;
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
    // In a template, a container of a dependent type is used through dependent expressions.
    if (const auto *access = llvm::dyn_cast<CXXDependentScopeMemberExpr>(parent)) {
      const std::string name = access->getMember().getAsString();
      if (vocabulary_.grow.contains(name))
        return Use::Grow;
      if (vocabulary_.shrink.contains(name))
        return Use::Shrink;
      return Use::Read;
    }
    if (const auto *subscript = llvm::dyn_cast<ArraySubscriptExpr>(parent)) // (not getBase(): a
      // dependent index is not an integer, so it takes the index for the base)
      return subscript->getLHS()->IgnoreParenImpCasts() == &use && member.keyed ? Use::GrowByKey
                                                                                : Use::Read;
    if (const auto *assign = llvm::dyn_cast<BinaryOperator>(parent);
        assign && assign->getOpcode() == BO_Assign &&
        assign->getLHS()->IgnoreParenImpCasts() == &use)
      return Use::Shrink; // replaced wholesale
    if (const auto *op = llvm::dyn_cast<CXXOperatorCallExpr>(parent)) {
      const bool first = op->getNumArgs() > 0 && op->getArg(0)->IgnoreParenImpCasts() == &use;
      if (first && op->getOperator() == OO_Subscript)
        return member.keyed ? Use::GrowByKey : Use::Read;
      if (first && op->getOperator() == OO_Equal)
        return Use::Shrink; // replaced wholesale
      return Use::Read;
    }
    if (const auto *call = llvm::dyn_cast<CallExpr>(parent)) {
      const FunctionDecl *callee = call->getDirectCallee();
      if (!callee)
        return Use::Escape;
      const std::string name = "::" + callee->getQualifiedNameAsString();
      if (std::find(vocabulary_.shrink_functions.begin(), vocabulary_.shrink_functions.end(),
                    name) != vocabulary_.shrink_functions.end())
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
      const FunctionDecl *function = enclosing_function(*parent);
      return !function || non_const_handle(function->getReturnType()) ? Use::Escape : Use::Read;
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

  // The member as the class declares it: a use through an instantiation (Cache<int>) is one of
  // the template's member.
  Member &member(const FieldDecl &use) {
    const FieldDecl *field = &use;
    if (const CXXRecordDecl *pattern =
            llvm::cast<CXXRecordDecl>(use.getParent())->getTemplateInstantiationPattern())
      for (const FieldDecl *candidate : pattern->fields())
        if (candidate->getDeclName() == use.getDeclName())
          field = candidate;
    Member &m = members_[field->getCanonicalDecl()];
    if (!m.field) {
      m.field = field->getCanonicalDecl();
      m.keyed = keyed(use.getType());
    }
    return m;
  }

  // A class's name in "long-lived" facts: its template's for an instantiation. By name, so that
  // a unit that only sees it declared (a unique_ptr to a pimpl) can still say it.
  static std::string class_key(const CXXRecordDecl &record) {
    const CXXRecordDecl *pattern = record.getTemplateInstantiationPattern();
    return (pattern ? pattern : &record)->getQualifiedNameAsString();
  }

  // Says that objects of the classes `type` holds may live as long as the process: itself (or
  // what it points or refers to, or an array of), its bases, and its template arguments (a
  // unique_ptr, an optional, a tuple; not the elements of a container). Held by a class (`holder`),
  // they do if an object of that class does: a parse result kept by a per-file walker is not.
  void long_lived(QualType type, const RecordDecl *holder, int depth = 0) {
    if (type.isNull() || depth > 4)
      return;
    const auto *record =
        type.getNonReferenceType()->getPointeeOrArrayElementType()->getAsCXXRecordDecl();
    if (!record || record == holder)
      return;
    // A class of the scanned tree without a container of its own can still hold one that has:
    // it is a link of a chain (the global Server, its Router, the Router's Index).
    const bool judged =
        holds_container(outermost(*record)) || reporter_.in_scanned_tree(*sm_, *record);
    const std::string fact = "long-lived " + class_key(*record);
    if (judged && !holder)
      reporter_.context().provide(fact);
    if (judged && holder) {
      const auto *cxx_holder = llvm::dyn_cast<CXXRecordDecl>(holder);
      const std::string given = "long-lived " + (cxx_holder ? class_key(*cxx_holder)
                                                            : holder->getQualifiedNameAsString());
      if (said_.insert(fact + '\n' + given).second)
        reporter_.context().provide_if(fact, given);
    }
    // The elements of a container come and go with its entries: a session in a server's map of
    // sessions lives for one connection. (If the container never lets go of them, it is the one
    // that grows without bound, and it is reported itself.) Neither its arguments nor its bases
    // (`std::_Vector_base<T, A>`) are followed.
    if (is_class(QualType(record->getTypeForDecl(), 0), vocabulary_.containers))
      return;
    if (const CXXRecordDecl *definition = record->getDefinition())
      for (const CXXBaseSpecifier &base : definition->bases())
        long_lived(base.getType(), holder, depth + 1);
    if (const auto *specialization = llvm::dyn_cast<ClassTemplateSpecializationDecl>(record))
      for (const TemplateArgument &arg : specialization->getTemplateArgs().asArray())
        for (const TemplateArgument &each :
             arg.getKind() == TemplateArgument::Pack ? arg.pack_elements() : llvm::ArrayRef(arg))
          if (each.getKind() == TemplateArgument::Type)
            long_lived(each.getAsType(), holder, depth + 1);
  }

  // The member functions and friend functions of `record` (and of its nested classes, which
  // see its private members too) whose definitions must all be seen before its members can be
  // judged; nothing when a friend class may touch them as well.
  std::optional<std::vector<std::string>> definitions_needed(const CXXRecordDecl &record) const {
    std::vector<std::string> needs;
    return add_definitions_needed(record, needs) ? std::optional(std::move(needs)) : std::nullopt;
  }

  bool add_definitions_needed(const CXXRecordDecl &record, std::vector<std::string> &needs) const {
    const auto need = [&](const FunctionDecl *function) {
      if (!function || function->isDeleted() || function->isDefaulted() || function->isPure() ||
          function->isImplicit())
        return true;
      const std::string key = reporter_.key(*sm_, *function->getCanonicalDecl());
      needs.push_back("defined " + key);
      return !key.empty();
    };
    for (const Decl *decl : record.decls()) {
      if (const auto *templated = llvm::dyn_cast<FunctionTemplateDecl>(decl))
        decl = templated->getTemplatedDecl();
      if (const auto *friend_decl = llvm::dyn_cast<FriendDecl>(decl)) {
        const NamedDecl *named = friend_decl->getFriendDecl();
        if (const auto *templated = llvm::dyn_cast_or_null<FunctionTemplateDecl>(named))
          named = templated->getTemplatedDecl();
        const auto *function = llvm::dyn_cast_or_null<FunctionDecl>(named);
        if (!function || !need(function))
          return false; // a friend class (template), or a friend outside the scanned tree
      } else if (const auto *method = llvm::dyn_cast<CXXMethodDecl>(decl)) {
        if (!need(method))
          return false;
      } else if (const auto *nested = llvm::isa<ClassTemplateDecl>(decl)
                                          ? llvm::cast<ClassTemplateDecl>(decl)->getTemplatedDecl()
                                          : llvm::dyn_cast<CXXRecordDecl>(decl);
                 nested && !nested->isInjectedClassName()) {
        // A nested class defined where this unit cannot see it (a pimpl) may touch them too.
        if (!nested->getDefinition() || !add_definitions_needed(*nested->getDefinition(), needs))
          return false;
      }
    }
    return true;
  }

  const Vocabulary &vocabulary_;
  CppReporter &reporter_;
  ASTContext *context_ = nullptr;
  const SourceManager *sm_ = nullptr;
  std::optional<bool> judged_unit_; // decided on the first match (see not_long_lived)
  std::set<std::string> said_;      // the unit's conditional facts, each said once
  std::map<const FieldDecl *, Member> members_;
  // What the unit has said of the calls of each member function (see called).
  struct Calls {
    std::string key;
    bool later = false;
  };
  llvm::DenseMap<const FunctionDecl *, Calls> calls_;
  llvm::DenseMap<const CXXRecordDecl *, bool> holds_container_;
};

class GrowOnlyContainer final : public CppCheck {
public:
  using Targets = Vocabulary;
  static Vocabulary parse_targets(const TargetReader &targets, const Rule &) {
    return build_vocabulary(targets);
  }

  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const Vocabulary *vocabulary = &reporter.context().targets<GrowOnlyContainer>();
    auto collector = std::make_unique<Collector>(*vocabulary, reporter);
    // In a class template, a member's container type may depend on its parameters
    // (`std::map<K, int>`): a specialization of the container's template, not a record yet.
    const auto names = hasAnyName(name_refs(vocabulary->containers));
    const auto container = hasType(hasUnqualifiedDesugaredType(
        anyOf(recordType(hasDeclaration(classTemplateSpecializationDecl(names))),
              templateSpecializationType(hasDeclaration(classTemplateDecl(names))))));
    // Not in template instantiations: only the member functions used get instantiated, so a
    // clear() nobody calls yet would be missed. (Matchers only visit the scanned tree's files.)
    finder.addMatcher(
        memberExpr(member(fieldDecl(container)), unless(isInTemplateInstantiation())).bind("use"),
        collector.get());
    finder.addMatcher(functionDecl(isDefinition(), unless(isImplicit())).bind("defined"),
                      collector.get());
    // Who calls the member functions that may grow one (see Collector::called), in template
    // instantiations too (a call there is one of the template's function's).
    finder.addMatcher(
        callExpr(callee(cxxMethodDecl(unless(isExpansionInSystemHeader())).bind("callee")))
            .bind("call"),
        collector.get());
    // Where objects outlive a request: members of other objects, globals and statics, and the
    // locals of main(). (Not the heap: a unique_ptr made per request dies with it.)
    finder.addMatcher(fieldDecl(unless(isImplicit())).bind("held"), collector.get());
    finder.addMatcher(varDecl(anyOf(hasGlobalStorage(), hasDeclContext(functionDecl(isMain()))),
                              unless(parmVarDecl()))
                          .bind("held"),
                      collector.get());
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    callbacks.push_back(std::move(collector));
    return callbacks;
  }

  // A unit that never declares a container has no member of one, and cannot define a member
  // function of a class that has one either.
  std::vector<std::string> required_names(const RuleSettings &rule) const override {
    return typed_targets<GrowOnlyContainer>(rule, Language::Cpp).containers;
  }
};

LEASH_REGISTER_CHECK(CppCheck, GrowOnlyContainer, "grow-only-container");

} // namespace

} // namespace leash::cpp
