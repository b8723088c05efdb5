// The C++ front end: compiles each translation unit with Clang LibTooling, using its command from
// compile_commands.json (or a fallback), and runs the enabled C++ checks' AST matchers on it.
// leash reads untrusted repositories: compiler flags that load code (plugins) are removed.
#include "frontend/cpp/cpp_check.h"

#include <clang/Basic/Diagnostic.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Lex/Lexer.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <fmt/format.h>

#include <deque>
#include <filesystem>
#include <map>
#include <mutex>

namespace leash::cpp {

namespace fs = std::filesystem;
using namespace clang;

void CppReporter::report(const SourceManager &sm, SourceLocation begin, SourceLocation end,
                         std::string message) {
  begin = sm.getExpansionLoc(begin);
  end = sm.getExpansionLoc(end);
  if (!begin.isValid() || sm.getFileID(begin) != sm.getMainFileID())
    return;
  const auto position = [&](SourceLocation loc) {
    return source_.position(static_cast<int>(sm.getExpansionLineNumber(loc)) - 1,
                            static_cast<int>(sm.getExpansionColumnNumber(loc)) - 1);
  };
  Span span{position(begin), position(begin)};
  const SourceLocation after = Lexer::getLocForEndOfToken(end, 0, sm, LangOptions());
  if (after.isValid() && sm.getFileID(after) == sm.getMainFileID())
    span.end = position(after);
  if (span.end < span.start || span.end.line != span.start.line)
    span.end = span.start;
  context_.report(span, std::move(message));
}

namespace {

// The builtin headers (<stddef.h>, ...) of the Clang leash was built with.
std::string resource_dir() { return LEASH_CLANG_RESOURCE_DIR; }

// Flags that make the compiler load code: plugins, pass plugins, `-Xclang -load`.
bool loads_code(const std::string &arg) {
  return arg.starts_with("-fplugin") || arg.starts_with("-fpass-plugin") || arg == "-load" ||
         arg.starts_with("--load") || arg == "-add-plugin" || arg == "-plugin" ||
         arg.starts_with("-plugin-arg");
}

tooling::CommandLineArguments sanitize(const tooling::CommandLineArguments &args, StringRef) {
  tooling::CommandLineArguments out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "-Xclang" && i + 1 < args.size() && loads_code(args[i + 1])) {
      ++i; // `-Xclang -load -Xclang lib.so`: the library follows behind another -Xclang
      if (i + 2 < args.size() && args[i + 1] == "-Xclang")
        i += 2;
      continue;
    }
    if (loads_code(arg))
      continue;
    out.push_back(arg);
  }
  out.insert(out.end(), {"-resource-dir", resource_dir(), "-Wno-unknown-warning-option", "-w"});
  return out;
}

// compile_commands.json files are loaded once per run and shared by the threads.
const tooling::CompilationDatabase *database(const fs::path &dir) {
  static std::mutex mutex;
  static std::map<fs::path, std::unique_ptr<tooling::CompilationDatabase>> loaded;
  std::lock_guard lock(mutex);
  auto &db = loaded[dir];
  if (!db) {
    std::string error;
    db = tooling::CompilationDatabase::loadFromDirectory(dir.string(), error);
  }
  return db.get();
}

// Collects the first error clang reports in the main file (or anywhere, if none is there).
class FirstError final : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic &info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < DiagnosticsEngine::Error || found)
      return;
    SmallString<256> text;
    info.FormatDiagnostic(text);
    message = text.str().str();
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const SourceManager &sm = info.getSourceManager();
      const SourceLocation at = sm.getExpansionLoc(info.getLocation());
      line = static_cast<int>(sm.getExpansionLineNumber(at));
      column = static_cast<int>(sm.getExpansionColumnNumber(at));
      where = sm.getFilename(at).str();
    }
    found = true;
  }
  bool found = false;
  std::string message, where;
  int line = 0, column = 0;
};

// Runs the matchers on the unit as it is parsed, and has the parser skip the bodies of functions
// outside the main file (system and library headers): nothing is reported there, and parsing
// them is most of a unit's cost.
class MatchAction final : public ASTFrontendAction {
public:
  explicit MatchAction(ast_matchers::MatchFinder &finder) : finder_(finder) {}

  class Factory final : public tooling::FrontendActionFactory {
  public:
    explicit Factory(ast_matchers::MatchFinder &finder) : finder_(finder) {}
    std::unique_ptr<FrontendAction> create() override {
      return std::make_unique<MatchAction>(finder_);
    }

  private:
    ast_matchers::MatchFinder &finder_;
  };

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &compiler, StringRef) override {
    compiler.getFrontendOpts().SkipFunctionBodies = true;
    return std::make_unique<Consumer>(finder_.newASTConsumer(), compiler.getSourceManager());
  }

private:
  class Consumer final : public ASTConsumer {
  public:
    Consumer(std::unique_ptr<ASTConsumer> inner, const SourceManager &sm)
        : inner_(std::move(inner)), sm_(sm) {}
    // Matchers visit the main file's declarations only (as clangd does): the headers' thousands
    // of declarations hold nothing to report.
    void HandleTranslationUnit(ASTContext &context) override {
      std::vector<Decl *> scope;
      for (Decl *decl : context.getTranslationUnitDecl()->decls())
        if (sm_.isWrittenInMainFile(sm_.getExpansionLoc(decl->getLocation())))
          scope.push_back(decl);
      context.setTraversalScope(scope);
      inner_->HandleTranslationUnit(context);
    }
    bool shouldSkipFunctionBody(Decl *decl) override {
      return !sm_.isWrittenInMainFile(sm_.getExpansionLoc(decl->getLocation()));
    }

  private:
    std::unique_ptr<ASTConsumer> inner_;
    const SourceManager &sm_;
  };

  ast_matchers::MatchFinder &finder_;
};

class CppFrontend final : public Frontend {
public:
  Language language() const override { return Language::Cpp; }

  void analyze(const SourceFile &source, const Settings &settings,
               FileResult &result) const override {
    if (!any_check_enabled<CppCheck>(settings))
      return;
    const CppConfig &cpp = settings.config().cpp;
    const std::string file = fs::absolute(source.path()).lexically_normal().string();

    std::unique_ptr<tooling::CompilationDatabase> fallback;
    const tooling::CompilationDatabase *db =
        cpp.compile_commands ? database(*cpp.compile_commands) : nullptr;
    if (!db || db->getCompileCommands(file).empty()) {
      std::vector<std::string> args = {"-std=c++17"};
      args.insert(args.end(), cpp.extra_args.begin(), cpp.extra_args.end());
      for (const fs::path &include : cpp.include_paths)
        args.push_back("-I" + include.string());
      fallback =
          std::make_unique<tooling::FixedCompilationDatabase>(fs::current_path().string(), args);
      db = fallback.get();
    }

    // A file system of its own: the real one's working directory is the process's, which
    // ClangTool would change to each command's `directory` under the other threads' feet.
    tooling::ClangTool tool(*db, {file}, std::make_shared<PCHContainerOperations>(),
                            llvm::vfs::createPhysicalFileSystem());
    tool.appendArgumentsAdjuster(sanitize);
    // Analyze the text leash read, so positions match what it reports.
    tool.mapVirtualFile(file, source.text());
    FirstError errors;
    tool.setDiagnosticConsumer(&errors);

    ast_matchers::MatchFinder finder;
    std::deque<CheckContext> contexts;
    std::deque<CppReporter> reporters;
    std::vector<std::unique_ptr<ast_matchers::MatchFinder::MatchCallback>> callbacks;
    for (const auto &item : CheckList<CppCheck>::items()) {
      const RuleSettings *rule = settings.enabled(item.rule);
      if (!rule)
        continue;
      contexts.emplace_back(source, *rule, result);
      reporters.emplace_back(source, contexts.back());
      for (auto &callback : item.check->register_matchers(finder, reporters.back()))
        callbacks.push_back(std::move(callback));
    }
    MatchAction::Factory factory(finder);
    tool.run(&factory);
    result.analyzed = true;
    if (errors.found) {
      const bool here = fs::path(errors.where) == fs::path(file);
      result.errors.push_back(
          {source.path(), here ? errors.line : 0, here ? errors.column : 0,
           fmt::format("{}{} (analyzed as far as clang recovered)", errors.message,
                       here || errors.where.empty() ? "" : " in " + errors.where)});
    }
  }
};

LEASH_REGISTER_FRONTEND(CppFrontend);

} // namespace

} // namespace leash::cpp
