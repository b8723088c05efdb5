// missing-socket-timeout for C++: a hiredis context connected in a function that never gives it
// a timeout (redisSetTimeout). Which functions connect and which set timeouts is data:
// targets.cpp in rules/missing-socket-timeout.yaml.
#include "frontend/cpp/cpp_check.h"

#include <clang/ASTMatchers/ASTMatchers.h>

#include <fmt/format.h>

namespace leash::cpp {

namespace {

using namespace clang::ast_matchers;

struct Target {
  std::vector<std::string> connect;
  std::vector<std::string> timeout;
  std::string message;
};

std::vector<Target> build_targets(const nlohmann::json &targets) {
  std::vector<Target> out;
  for (const auto &entry : targets.at("cpp"))
    out.push_back({entry.at("connect").get<std::vector<std::string>>(),
                   entry.at("timeout").get<std::vector<std::string>>(),
                   entry.at("message").get<std::string>()});
  return out;
}

std::vector<llvm::StringRef> refs(const std::vector<std::string> &names) {
  return {names.begin(), names.end()};
}

class ConnectWithoutTimeout final : public MatchFinder::MatchCallback {
public:
  ConnectWithoutTimeout(const Target &target, CppReporter &reporter)
      : target_(target), reporter_(reporter) {}

  void run(const MatchFinder::MatchResult &result) override {
    try {
      const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("connect");
      const auto *function = result.Nodes.getNodeAs<clang::FunctionDecl>("function");
      if (!call || !function || !function->getBody())
        return;
      const auto setters =
          match(findAll(callExpr(callee(functionDecl(hasAnyName(refs(target_.timeout)))))),
                *function->getBody(), *result.Context);
      if (!setters.empty())
        return;
      const auto *callee = call->getDirectCallee();
      std::string message = target_.message;
      if (const size_t at = message.find("{callee}"); at != std::string::npos && callee)
        message.replace(at, 8, callee->getNameAsString());
      reporter_.report(*result.SourceManager, call->getBeginLoc(), call->getEndLoc(),
                       std::move(message));
    } catch (const std::exception &) {
      // Exceptions must not unwind through clang's frames; a failed report is dropped.
    }
  }

private:
  const Target &target_;
  CppReporter &reporter_;
};

class MissingSocketTimeout final : public CppCheck {
public:
  std::vector<std::unique_ptr<MatchFinder::MatchCallback>>
  register_matchers(MatchFinder &finder, CppReporter &reporter) const override {
    const auto targets =
        parsed_targets<std::vector<Target>>(reporter.context().targets(), build_targets);
    std::vector<std::unique_ptr<MatchFinder::MatchCallback>> callbacks;
    for (const Target &target : *targets) {
      auto callback = std::make_unique<ConnectWithoutTimeout>(target, reporter);
      finder.addMatcher(callExpr(callee(functionDecl(hasAnyName(refs(target.connect)))),
                                 hasAncestor(functionDecl(isDefinition()).bind("function")))
                            .bind("connect"),
                        callback.get());
      callbacks.push_back(std::move(callback));
    }
    return callbacks;
  }
};

LEASH_REGISTER_CHECK(CppCheck, MissingSocketTimeout, "missing-socket-timeout");

} // namespace

} // namespace leash::cpp
