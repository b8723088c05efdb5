// The base class of C++ checks: AST matchers over one translation unit (clang-tidy style). A
// check adds its matchers with a callback that reports through a CppReporter, and registers
// itself with LEASH_REGISTER_CHECK(CppCheck, MyCheck, "my-rule").
#pragma once

#include "core/analysis.h"
#include "core/discovery.h"
#include "core/strings.h"

#include <fmt/format.h>

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace leash::cpp {

// Which files of a unit findings may be reported in: the unit's own, and the headers that a scan
// of the scanned folders reads (not system headers, nor those in skipped folders or excluded by
// the config). One per unit, shared by its parser and checks; it answers once per file.
class ReportableFiles {
public:
  ReportableFiles(std::string main_path, const std::vector<std::filesystem::path> &roots,
                  const Workspace &workspace)
      : main_path_(std::move(main_path)), roots_(roots), workspace_(workspace) {}
  // The display path of `file`, or "" when findings may not be reported there.
  const std::string &path(const clang::SourceManager &sm, clang::FileID file);
  // A mistake in the config governing a header's folder, met while clang ran (nothing may unwind
  // through clang's frames): the front end throws it once clang is done.
  std::exception_ptr config_error() const { return config_error_; }

private:
  std::string find(const clang::SourceManager &sm, clang::FileID file);

  std::string main_path_;
  const std::vector<std::filesystem::path> &roots_;
  const Workspace &workspace_;
  std::unordered_map<unsigned, std::string> paths_; // by FileID
  std::exception_ptr config_error_;
};

// Reports findings at AST locations: in the unit's own file, or in a header of the scanned tree
// (each header finding is reported once however many units include it; see core/scan.cpp).
class CppReporter {
public:
  CppReporter(CheckContext &context, ReportableFiles &files) : context_(context), files_(files) {}

  CheckContext &context() { return context_; }
  // Reports at the token range [begin, end]. Nothing is reported in system headers or in files
  // outside what was scanned (third-party includes).
  void report(const clang::ASTContext &context, clang::SourceLocation begin,
              clang::SourceLocation end, std::string message);
  // The same, for a finding the whole scan decides on (see ConditionalFinding).
  void report_if(const clang::ASTContext &context, clang::SourceLocation begin,
                 clang::SourceLocation end, std::string message, Condition condition);
  // Whether `decl` is in a file findings may be reported in: the unit, or a scanned header.
  bool in_scanned_tree(const clang::SourceManager &sm, const clang::Decl &decl) const;
  // A name for a declaration that is the same in every unit that includes its file
  // ("path:line:column:name", and a function's type), or "" when the file is not one findings
  // may be reported in.
  std::string key(const clang::SourceManager &sm, const clang::NamedDecl &decl) const;
  // Where `loc` is, as "line N" in `in`'s file, else "path:N" ("" when not reportable).
  std::string where(const clang::SourceManager &sm, clang::SourceLocation loc,
                    clang::SourceLocation in) const;

private:
  struct Location {
    std::string path;
    Span span;
  };
  std::optional<Location> locate(const clang::ASTContext &context, clang::SourceLocation begin,
                                 clang::SourceLocation end) const;

  CheckContext &context_;
  ReportableFiles &files_;
};

// A match callback that never lets an exception unwind through clang's frames (Debian's LLVM is
// built without exceptions): checks implement on_match() (and on_end_of_unit()); a throw drops
// that one match.
class GuardedCallback : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) final {
    try {
      on_match(result);
    } catch (const std::exception &) {
    }
  }

  void onEndOfTranslationUnit() final {
    try {
      on_end_of_unit();
    } catch (const std::exception &) {
    }
  }

protected:
  virtual void on_match(const clang::ast_matchers::MatchFinder::MatchResult &result) = 0;
  virtual void on_end_of_unit() {}
};

// Names for hasAnyName(), from a rule's targets.
inline std::vector<llvm::StringRef> name_refs(const std::vector<std::string> &names) {
  return {names.begin(), names.end()};
}

// Whether `type` (or what a reference to it refers to) is one of the classes `names`
// ("::std::map"; a template by its name, whatever its arguments).
inline bool is_class(clang::QualType type, llvm::ArrayRef<std::string> names) {
  if (type.isNull())
    return false;
  const clang::NamedDecl *decl = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (!decl) // `std::map<K, int>` in a template: a dependent specialization of the template
    if (const auto *specialization =
            type.getNonReferenceType()->getAs<clang::TemplateSpecializationType>())
      decl = specialization->getTemplateName().getAsTemplateDecl();
  if (!decl)
    return false;
  const std::string name = "::" + decl->getQualifiedNameAsString();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Looks through the wrappers around an argument: implicit conversions, temporaries, and a
// std::string built from a literal (so a literal shows as itself).
inline const clang::Expr *bare(const clang::Expr *expr) {
  for (;;) {
    expr = expr->IgnoreImplicit()->IgnoreParenImpCasts();
    const auto *construct = llvm::dyn_cast<clang::CXXConstructExpr>(expr);
    if (!construct || construct->getNumArgs() == 0 ||
        llvm::isa<clang::CXXTemporaryObjectExpr>(construct))
      return expr;
    for (unsigned i = 1; i < construct->getNumArgs(); ++i) // std::string(s, allocator = {})
      if (!llvm::isa<clang::CXXDefaultArgExpr>(construct->getArg(i)))
        return expr;
    expr = construct->getArg(0);
  }
}

// A call to one of `functions` ("::redisConnect"), resolved through macros and aliases.
inline clang::ast_matchers::internal::Matcher<clang::CallExpr>
calls(const std::vector<std::string> &functions) {
  using namespace clang::ast_matchers;
  return callee(functionDecl(hasAnyName(name_refs(functions))));
}

// A construction of one of `classes`, except by their own constructors (which delegate to each
// other) and in template instantiations (only what is used gets instantiated).
inline clang::ast_matchers::internal::Matcher<clang::CXXConstructExpr>
constructs(const std::vector<std::string> &classes) {
  using namespace clang::ast_matchers;
  const auto named = cxxRecordDecl(hasAnyName(name_refs(classes)));
  return allOf(hasDeclaration(cxxConstructorDecl(ofClass(named))), unless(hasAncestor(named)),
               unless(isInTemplateInstantiation()));
}

// A call of std::make_shared<C> or std::make_unique<C> for one of `classes`: the construction
// happens in the library's template, so `constructs` does not see it.
inline clang::ast_matchers::internal::Matcher<clang::CallExpr>
makes(const std::vector<std::string> &classes) {
  using namespace clang::ast_matchers;
  const auto named = cxxRecordDecl(hasAnyName(name_refs(classes)));
  return allOf(
      callee(functionDecl(hasAnyName("::std::make_shared", "::std::make_unique"),
                          hasTemplateArgument(0, refersToType(hasUnqualifiedDesugaredType(
                                                     recordType(hasDeclaration(named))))))),
      unless(isInTemplateInstantiation()));
}

// Adds matchers for a construction of one of `classes`, with the `extra` constraints, to
// `finder`: directly (`Redis r(opts)`, `new Redis(opts)`, bound as "client"), or through a
// standard factory (`std::make_shared<Redis>(opts)`, bound as "factory"), each judged alike by
// `callback` (see construction()). Two matchers, each rooted at its node kind: one rooted at
// any statement would be tried on every statement of the unit.
template <class... Extra>
void match_builds(clang::ast_matchers::MatchFinder &finder, const std::vector<std::string> &classes,
                  clang::ast_matchers::MatchFinder::MatchCallback *callback,
                  const Extra &...extra) {
  using namespace clang::ast_matchers;
  finder.addMatcher(cxxConstructExpr(constructs(classes), extra...).bind("client"), callback);
  finder.addMatcher(callExpr(makes(classes), extra...).bind("factory"), callback);
}

struct Construction {
  const clang::Expr *at = nullptr; // where to report
  const clang::CXXRecordDecl *type = nullptr;
  std::vector<const clang::Expr *> args;                  // as written: no default arguments
  const clang::CXXConstructorDecl *constructor = nullptr; // none through a factory
};

// The construction that match_builds() matched, if any.
inline std::optional<Construction>
construction(const clang::ast_matchers::MatchFinder::MatchResult &result) {
  Construction out;
  if (const auto *client = result.Nodes.getNodeAs<clang::CXXConstructExpr>("client")) {
    out = {client, client->getConstructor()->getParent(), {}, client->getConstructor()};
    for (const clang::Expr *arg : client->arguments())
      if (!llvm::isa<clang::CXXDefaultArgExpr>(arg))
        out.args.push_back(arg);
    return out;
  }
  const auto *factory = result.Nodes.getNodeAs<clang::CallExpr>("factory");
  const clang::FunctionDecl *callee = factory ? factory->getDirectCallee() : nullptr;
  const clang::TemplateArgumentList *arguments =
      callee ? callee->getTemplateSpecializationArgs() : nullptr;
  if (!arguments || arguments->size() == 0 ||
      arguments->get(0).getKind() != clang::TemplateArgument::Type)
    return std::nullopt;
  out = {factory, arguments->get(0).getAsType()->getAsCXXRecordDecl(), {}, nullptr};
  if (!out.type)
    return std::nullopt;
  out.args.assign(factory->arg_begin(), factory->arg_end());
  return out;
}

// A qualified name of a C++ declaration, as targets write it ("::redisConnect").
inline std::string qualified_name(const TargetReader &value) {
  std::string name = value.string();
  if (!name.starts_with("::"))
    value.fail(fmt::format("`{}` is not a fully qualified name: write ::{}", name, name));
  return name;
}

inline std::vector<std::string> qualified_names(const TargetReader &list) {
  std::vector<std::string> names;
  for (const TargetReader &item : list.items())
    names.push_back(qualified_name(item));
  if (names.empty())
    list.fail("names nothing");
  return names;
}

// The names that the given lists of each target hold, for CppCheck::required_names().
template <class Target, class... Lists>
std::vector<std::string> names_in(const std::vector<Target> &targets, Lists... lists) {
  std::vector<std::string> names;
  for (const Target &target : targets)
    (names.insert(names.end(), (target.*lists).begin(), (target.*lists).end()), ...);
  return names;
}

class CppCheck {
public:
  static constexpr Language kLanguage = Language::Cpp;
  virtual ~CppCheck() = default;
  // Adds matchers to `finder`; returns the callbacks, which must live as long as the match runs.
  virtual std::vector<std::unique_ptr<clang::ast_matchers::MatchFinder::MatchCallback>>
  register_matchers(clang::ast_matchers::MatchFinder &finder, CppReporter &reporter) const = 0;
  // Qualified names ("::ns::name") of which a unit must declare at least one for the check to
  // find anything in it (with these settings of its rule). Units whose preprocessed tokens name
  // none of them are not parsed.
  virtual std::vector<std::string> required_names(const RuleSettings &rule) const = 0;
};

} // namespace leash::cpp

namespace leash {
using cpp::CppCheck;
} // namespace leash
