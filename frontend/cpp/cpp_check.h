// The base class of C++ checks: AST matchers over one translation unit (clang-tidy style). A
// check adds its matchers with a callback that reports through a CppReporter, and registers
// itself with LEASH_REGISTER_CHECK(CppCheck, MyCheck, "my-rule").
#pragma once

#include "core/analysis.h"

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <memory>
#include <vector>

namespace leash::cpp {

// Reports a finding at an AST location of the main file being analyzed.
class CppReporter {
public:
  CppReporter(const SourceFile &source, CheckContext &context)
      : source_(source), context_(context) {}

  CheckContext &context() { return context_; }
  // Reports at the token range [begin, end]; locations outside the main file are not reported
  // (system headers, third-party includes; headers of the project come in a later step).
  void report(const clang::SourceManager &sm, clang::SourceLocation begin,
              clang::SourceLocation end, std::string message);

private:
  const SourceFile &source_;
  CheckContext &context_;
};

class CppCheck {
public:
  static constexpr Language kLanguage = Language::Cpp;
  virtual ~CppCheck() = default;
  // Adds matchers to `finder`; returns the callbacks, which must live as long as the match runs.
  virtual std::vector<std::unique_ptr<clang::ast_matchers::MatchFinder::MatchCallback>>
  register_matchers(clang::ast_matchers::MatchFinder &finder, CppReporter &reporter) const = 0;
};

} // namespace leash::cpp

namespace leash {
using cpp::CppCheck;
} // namespace leash
