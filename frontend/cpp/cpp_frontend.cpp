// The C/C++ front end: compiles each unit (or header named alone) with Clang LibTooling, using its
// command from compile_commands.json (or one inferred from a neighbour, or a fallback), and runs
// the enabled C++ checks' AST matchers on it. Built as libleash-cpp.so, which the executable loads
// only when a scan has C or C++ to analyze (see cpp_loader.cpp). leash reads untrusted
// repositories: compiler flags that load code (plugins) are removed.
#include "frontend/cpp/abi.h"
#include "frontend/cpp/commands.h"
#include "frontend/cpp/cpp_check.h"

#include "core/discovery.h"

#include <clang/AST/ASTContext.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/Stack.h>
#include <clang/Driver/Driver.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <dlfcn.h>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace leash::cpp {

namespace fs = std::filesystem;
using namespace clang;

const std::string &ReportableFiles::path(const SourceManager &sm, FileID file) {
  auto [it, fresh] = paths_.try_emplace(file.getHashValue());
  if (fresh)
    it->second = find(sm, file);
  return it->second;
}

std::string ReportableFiles::find(const SourceManager &sm, FileID file) {
  if (file == sm.getMainFileID())
    return main_path_;
  const FileEntry *entry = sm.getFileEntryForID(file);
  if (!entry || SrcMgr::isSystem(sm.getFileCharacteristic(sm.getLocForStartOfFile(file))))
    return {};
  const fs::path real = fs::path(entry->tryGetRealPathName().str()).lexically_normal();
  for (const fs::path &root : roots_) {
    if (within(real, root)) {
      try {
        return walk_reads(root, real, workspace_) ? display_path(real) : std::string();
      } catch (const UsageError &) {
        if (!config_error_)
          config_error_ = std::current_exception();
        return {};
      }
    }
  }
  return {};
}

std::optional<CppReporter::Location>
CppReporter::locate(const ASTContext &context, SourceLocation begin, SourceLocation end) const {
  const SourceManager &sm = context.getSourceManager();
  begin = sm.getExpansionLoc(begin);
  end = sm.getExpansionLoc(end);
  if (!begin.isValid())
    return std::nullopt;
  const FileID file = sm.getFileID(begin);
  std::string path = files_.path(sm, file);
  if (path.empty())
    return std::nullopt;
  // 1-based line and character column, from the file's own text.
  const llvm::StringRef text = sm.getBufferData(file);
  const auto position = [&](SourceLocation loc) {
    const unsigned offset = sm.getFileOffset(loc);
    const unsigned column = sm.getExpansionColumnNumber(loc);
    const llvm::StringRef before = text.substr(offset - std::min(offset, column - 1), column - 1);
    return Position{static_cast<int>(sm.getExpansionLineNumber(loc)),
                    count_characters({before.data(), before.size()}) + 1};
  };
  Span span{position(begin), position(begin)};
  const SourceLocation after = Lexer::getLocForEndOfToken(end, 0, sm, context.getLangOpts());
  if (after.isValid() && sm.getFileID(after) == file)
    span.end = position(after);
  if (span.end < span.start || span.end.line != span.start.line)
    span.end = span.start;
  return Location{std::move(path), span};
}

void CppReporter::report(const ASTContext &context, SourceLocation begin, SourceLocation end,
                         std::string message) {
  if (auto at = locate(context, begin, end))
    context_.report_in(std::move(at->path), at->span, std::move(message));
}

void CppReporter::report_if(const ASTContext &context, SourceLocation begin, SourceLocation end,
                            std::string message, Condition condition) {
  if (auto at = locate(context, begin, end))
    context_.report_if(std::move(at->path), at->span, std::move(message), std::move(condition));
}

bool CppReporter::in_scanned_tree(const SourceManager &sm, const Decl &decl) const {
  const SourceLocation loc = sm.getExpansionLoc(decl.getLocation());
  return loc.isValid() && !files_.path(sm, sm.getFileID(loc)).empty();
}

std::string CppReporter::key(const SourceManager &sm, const NamedDecl &decl) const {
  const SourceLocation loc = sm.getExpansionLoc(decl.getLocation());
  if (!loc.isValid())
    return {};
  const std::string &path = files_.path(sm, sm.getFileID(loc));
  if (path.empty())
    return {};
  // Not the qualified name: an anonymous class's names where the unit included it from. A
  // function's type tells overloads declared by one macro apart.
  const auto *function = llvm::dyn_cast<FunctionDecl>(&decl);
  return fmt::format("{}:{}:{}:{}{}", path, sm.getExpansionLineNumber(loc),
                     sm.getExpansionColumnNumber(loc), decl.getDeclName().getAsString(),
                     function ? fmt::format(" {}", function->getType().getAsString()) : "");
}

std::string CppReporter::where(const SourceManager &sm, SourceLocation loc,
                               SourceLocation in) const {
  loc = sm.getExpansionLoc(loc);
  const unsigned line = sm.getExpansionLineNumber(loc);
  if (sm.getFileID(loc) == sm.getFileID(sm.getExpansionLoc(in)))
    return fmt::format("line {}", line);
  const std::string &path = files_.path(sm, sm.getFileID(loc));
  return path.empty() ? std::string() : fmt::format("{}:{}", path, line);
}

namespace {

// Clang's builtin headers (<stddef.h>, ...), found at run time next to the libclang-cpp this
// process loaded, as libclang finds them; else where CMake saw them when leash was built.
const std::string &resource_dir() {
  static const std::string dir = [] {
    Dl_info library;
    if (dladdr(reinterpret_cast<void *>(&driver::Driver::GetResourcesPath), &library) &&
        library.dli_fname) {
      std::error_code ec;
      const fs::path path = fs::canonical(library.dli_fname, ec);
      const std::string found = driver::Driver::GetResourcesPath(path.string());
      if (!ec && fs::exists(fs::path(found) / "include" / "stddef.h", ec))
        return found;
    }
    return std::string(LEASH_CLANG_RESOURCE_DIR);
  }();
  return dir;
}

// Flags that make the compiler load code: plugins, pass plugins, `-Xclang -load`.
bool loads_code(const std::string &arg) {
  return arg.starts_with("-fplugin") || arg.starts_with("-fpass-plugin") || arg == "-load" ||
         arg.starts_with("--load") || arg == "-add-plugin" || arg == "-plugin" ||
         arg.starts_with("-plugin-arg");
}

// Removes the flags that make the compiler load code, and config files (which may hold such
// flags), noting each in `removed`.
tooling::CommandLineArguments sanitize(const tooling::CommandLineArguments &args,
                                       std::set<std::string> &removed) {
  tooling::CommandLineArguments out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "-Xclang" && i + 1 < args.size() && loads_code(args[i + 1])) {
      std::string flag = arg + " " + args[++i];
      if (i + 2 < args.size() && args[i + 1] == "-Xclang") { // `-Xclang -load -Xclang lib.so`
        flag += " -Xclang " + args[i + 2];
        i += 2;
      }
      removed.insert(flag);
      continue;
    }
    if (arg == "--config" && i + 1 < args.size()) { // `--config file`
      removed.insert(arg + " " + args[++i]);
      continue;
    }
    if (loads_code(arg) || arg.starts_with("--config")) {
      removed.insert(arg);
      continue;
    }
    out.push_back(arg);
  }
  // Right after the compiler's name: commands inferred for files missing from the database end
  // in `-- file`, after which nothing is read as a flag.
  out.insert(out.begin() + std::min<size_t>(1, out.size()),
             {"--no-default-config", "-resource-dir", resource_dir(), "-Wno-unknown-warning-option",
              "-w"});
  return out;
}

// The real file system, minus what must not be read: a FIFO or a device that a unit includes
// (`#include "/dev/stdin"`) would block clang, or feed it forever. Clang reports it as an error.
class RegularFilesOnly final : public llvm::vfs::ProxyFileSystem {
public:
  using ProxyFileSystem::ProxyFileSystem;
  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &path) override {
    const auto status = getUnderlyingFS().status(path);
    if (status && status->getType() != llvm::sys::fs::file_type::regular_file)
      return std::make_error_code(std::errc::invalid_argument);
    return ProxyFileSystem::openFileForRead(path);
  }
};

// A compile_commands.json, loaded once from the snapshot the cache's key was made from (see
// commands.h) and shared by the threads: the files it lists, and an interpolating view that
// answers for the others too (a header, a unit added since it was generated) from the closest
// file it lists, as clangd infers commands. Units hold it while they run: a newer snapshot never
// pulls it from under them.
struct Database {
  std::shared_ptr<const tooling::CompilationDatabase> listed;
  std::shared_ptr<const tooling::CompilationDatabase> inferred;
};

Database database(const fs::path &dir) {
  const auto text = database_text(dir);
  static std::mutex mutex;
  static std::map<fs::path, std::pair<std::string, Database>> loaded; // by folder: digest, db
  std::lock_guard lock(mutex);
  auto &[digest, db] = loaded[dir];
  if (digest != text->digest) {
    // As clang's own loader wraps a JSON database: response files expanded (read through the
    // same guarded file system as units), driver mode from the compiler's name.
    const auto load = [&](bool infer) -> std::shared_ptr<const tooling::CompilationDatabase> {
      std::string error;
      std::unique_ptr<tooling::CompilationDatabase> json =
          tooling::JSONCompilationDatabase::loadFromBuffer(
              text->text, error, tooling::JSONCommandLineSyntax::AutoDetect);
      if (!json)
        return nullptr;
      json = tooling::expandResponseFiles(
          std::move(json),
          llvm::makeIntrusiveRefCnt<RegularFilesOnly>(llvm::vfs::createPhysicalFileSystem()));
      if (infer)
        json = tooling::inferMissingCompileCommands(std::move(json));
      return tooling::inferTargetAndDriverMode(std::move(json));
    };
    digest = text->digest;
    db = {load(false), load(true)};
  }
  return db;
}

// A command inferred for a file its database does not list, with the config's arguments right
// after the compiler (an inferred command ends in `-- file`).
class WithConfigArguments final : public tooling::CompilationDatabase {
public:
  WithConfigArguments(const tooling::CompilationDatabase &inner, std::vector<std::string> args)
      : inner_(inner), args_(std::move(args)) {}
  std::vector<tooling::CompileCommand> getCompileCommands(StringRef file) const override {
    auto commands = inner_.getCompileCommands(file);
    for (tooling::CompileCommand &command : commands)
      command.CommandLine.insert(command.CommandLine.begin() +
                                     std::min<size_t>(1, command.CommandLine.size()),
                                 args_.begin(), args_.end());
    return commands;
  }

private:
  const tooling::CompilationDatabase &inner_;
  std::vector<std::string> args_;
};

// A unit compiled into several targets (a static and a shared library) has a command for each:
// analyzing it once is enough.
class FirstCommandOnly final : public tooling::CompilationDatabase {
public:
  explicit FirstCommandOnly(const tooling::CompilationDatabase &inner) : inner_(inner) {}
  std::vector<tooling::CompileCommand> getCompileCommands(StringRef file) const override {
    auto commands = inner_.getCompileCommands(file);
    if (commands.size() > 1)
      commands.resize(1);
    // ClangTool aborts the process when it cannot enter a command's directory.
    std::error_code ec;
    for (tooling::CompileCommand &command : commands)
      if (!fs::is_directory(command.Directory, ec))
        command.Directory = fs::current_path(ec).string();
    return commands;
  }

private:
  const tooling::CompilationDatabase &inner_;
};

// Where a unit's command comes from: the compilation database that covers it, else the fallback.
class UnitCommands {
public:
  UnitCommands(const fs::path &file, const Settings &settings, const RunContext &run) {
    const CppConfig &cpp = settings.config().cpp;
    const auto dir = database_dir(file, cpp, run);
    database_ = dir ? database(*dir) : Database{};
    const tooling::CompilationDatabase *chosen = nullptr;
    if (database_.listed && !database_.listed->getCompileCommands(file.string()).empty()) {
      chosen = database_.listed.get();
    } else if (database_.inferred &&
               !database_.inferred->getCompileCommands(file.string()).empty()) {
      adjusted_ = std::make_unique<WithConfigArguments>(*database_.inferred, config_arguments(cpp));
      chosen = adjusted_.get();
      inferred_from_ = dir;
    } else {
      std::error_code ec;
      adjusted_ = std::make_unique<tooling::FixedCompilationDatabase>(
          fs::current_path(ec).string(), fallback_arguments(file, cpp, run));
      chosen = adjusted_.get();
    }
    once_.emplace(*chosen);
  }
  const tooling::CompilationDatabase &get() const { return *once_; }
  // The folder of the compile_commands.json that does not list the unit, when its command was
  // inferred from the units it lists.
  const std::optional<fs::path> &inferred_from() const { return inferred_from_; }

private:
  std::optional<fs::path> inferred_from_;
  Database database_; // held while the unit runs
  std::unique_ptr<tooling::CompilationDatabase> adjusted_;
  std::optional<FirstCommandOnly> once_;
};

// Every file besides the unit that clang read: the cache's entry for the unit holds while they stay
// the same. Installed files (under /usr or /opt, the system's headers) are told by their size and
// time, which a package upgrade changes; all others, the project's and what it vendors included
// through -isystem, by a digest of what was read. False when one of them cannot be told.
bool record_dependencies(const SourceManager &sm, std::vector<Dependency> &into) {
  into.clear();
  std::set<std::string> seen;
  for (unsigned i = 0; i < sm.local_sloc_entry_size(); ++i) {
    const SrcMgr::SLocEntry &entry = sm.getLocalSLocEntry(i);
    if (!entry.isFile())
      continue;
    const SrcMgr::ContentCache &content = entry.getFile().getContentCache();
    const FileEntry *file = content.OrigEntry;
    if (!file || file == sm.getFileEntryForID(sm.getMainFileID()))
      continue;
    const std::string path = file->tryGetRealPathName().str();
    if (path.empty())
      return false;
    if (!seen.insert(path).second)
      continue;
    if (installed_file(path)) {
      into.push_back({path, {}, true});
      continue;
    }
    const auto text = content.getBufferDataIfLoaded();
    if (!text)
      return false;
    into.push_back({path, hash_of({text->data(), text->size()}), false});
  }
  return true;
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

// Makes the actions that run on a unit, and has the final say on what the compiler may do,
// whatever flags the command had (a blocklist of flags has bypasses: -Wp, -Xclang=,
// -Xpreprocessor, config files): it loads nothing and writes nothing.
class SafeActionFactory final : public tooling::FrontendActionFactory {
public:
  explicit SafeActionFactory(std::function<std::unique_ptr<FrontendAction>()> make)
      : make_(std::move(make)) {}
  std::unique_ptr<FrontendAction> create() override { return make_(); }

  bool runInvocation(std::shared_ptr<CompilerInvocation> invocation, FileManager *files,
                     std::shared_ptr<PCHContainerOperations> pch,
                     DiagnosticConsumer *diagnostics) override {
    FrontendOptions &frontend = invocation->getFrontendOpts();
    frontend.Plugins.clear();
    frontend.AddPluginActions.clear();
    frontend.PluginArgs.clear();
    frontend.ActionName.clear();
    frontend.StatsFile.clear();
    frontend.ShowStats = false; // statistics and timers: printed to stderr, or a file written
    frontend.TimeTrace = false;
    frontend.TimeTracePath.clear();
    invocation->getCodeGenOpts().TimePasses = false;
    invocation->getCodeGenOpts().TimeTrace = false;
    frontend.ModuleFiles.clear();
    invocation->getCodeGenOpts().PassPlugins.clear();
    invocation->getDiagnosticOpts().DiagnosticLogFile.clear();
    invocation->getDiagnosticOpts().DiagnosticSerializationFile.clear();
    // "N errors generated." (printed with carets on) would go to stderr from several threads.
    invocation->getDiagnosticOpts().ShowCarets = false;
    invocation->getDependencyOutputOpts() = DependencyOutputOptions();
    invocation->getPreprocessorOpts().ImplicitPCHInclude.clear();
    // `#pragma clang __debug crash`; tests/clang_crash.sh turns it back on, to crash clang.
    invocation->getPreprocessorOpts().DisablePragmaDebugCrash =
        !std::getenv("LEASH_TEST_CLANG_DEBUG_CRASH");
    invocation->getLangOpts()->ImplicitModules = false; // no module cache written
    return FrontendActionFactory::runInvocation(std::move(invocation), files, std::move(pch),
                                                diagnostics);
  }

private:
  std::function<std::unique_ptr<FrontendAction>()> make_;
};

enum class Run { Ok, Failed, Crashed };

// Runs `factory`'s actions on the unit. A crash in clang (which has bugs, and reads any code) is
// contained to this thread, as libclang contains it, so the rest of the scan goes on.
Run run_contained(tooling::ClangTool &tool, tooling::FrontendActionFactory &factory) {
  static const bool enabled = [] {
    llvm::CrashRecoveryContext::Enable();
    // Clang times its handling of `#pragma clang __debug` (even when it ignores the pragma), and
    // LLVM prints timer reports to stderr, which is leash's: they go nowhere instead.
    const char *args[] = {"leash", "-info-output-file=/dev/null"};
    llvm::raw_null_ostream ignored;
    llvm::cl::ParseCommandLineOptions(2, args, "", &ignored);
    return true;
  }();
  (void)enabled;
  llvm::CrashRecoveryContext recovery;
  int status = 0;
  if (!recovery.RunSafely([&] { status = tool.run(&factory); }))
    return Run::Crashed;
  return status == 0 ? Run::Ok : Run::Failed;
}

// Preprocesses a unit and tells whether its tokens (after macro expansion, in any file it
// includes) name any of `names`. A check can only match a unit that declares what it looks for,
// and a declaration names it, however it is spelled in the code that uses it (a typedef, a macro,
// a pasted token): a unit that names none of them is not parsed. Preprocessing stops at the
// first name found, and a unit with preprocessor errors (a header not found) always counts.
class PrefilterAction final : public PreprocessorFrontendAction {
public:
  PrefilterAction(const std::vector<std::string> &names, bool &found, FileResult &result)
      : names_(names), found_(found), result_(result) {}

protected:
  void ExecuteAction() override {
    Preprocessor &pp = getCompilerInstance().getPreprocessor();
    llvm::SmallPtrSet<const IdentifierInfo *, 32> wanted;
    for (const std::string &name : names_)
      wanted.insert(&pp.getIdentifierTable().get(name));
    pp.EnterMainSourceFile();
    Token token;
    do {
      pp.Lex(token);
      if (token.is(tok::identifier) && wanted.contains(token.getIdentifierInfo())) {
        found_ = true;
        return;
      }
    } while (token.isNot(tok::eof));
    found_ = pp.getDiagnostics().hasErrorOccurred();
    // Not parsed: what was preprocessed is all it depends on.
    result_.cacheable &= record_dependencies(pp.getSourceManager(), result_.dependencies);
  }

private:
  const std::vector<std::string> &names_;
  bool &found_;
  FileResult &result_;
};

// Runs the matchers on the unit as it is parsed. Only files findings may be reported in (the
// unit and the scanned tree's headers) matter: the parser skips the bodies of functions in all
// other files (system and third-party headers), which are most of a unit's cost, and the
// matchers do not visit their declarations.
class MatchAction final : public ASTFrontendAction {
public:
  MatchAction(ast_matchers::MatchFinder &finder, ReportableFiles &files, FileResult &result)
      : finder_(finder), files_(files), result_(result) {}

protected:
  void EndSourceFileAction() override {
    result_.cacheable &=
        record_dependencies(getCompilerInstance().getSourceManager(), result_.dependencies);
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &compiler, StringRef) override {
    compiler.getFrontendOpts().SkipFunctionBodies = true;
    return std::make_unique<Consumer>(finder_.newASTConsumer(), compiler.getSourceManager(),
                                      files_);
  }

private:
  class Consumer final : public ASTConsumer {
  public:
    Consumer(std::unique_ptr<ASTConsumer> inner, const SourceManager &sm, ReportableFiles &files)
        : inner_(std::move(inner)), sm_(sm), files_(files) {}
    // Matchers visit the declarations outside system headers only (as clangd limits them to
    // the main file): the standard library's thousands of declarations hold nothing to report.
    void HandleTranslationUnit(ASTContext &context) override {
      std::vector<Decl *> scope;
      for (Decl *decl : context.getTranslationUnitDecl()->decls())
        if (in_scope(decl))
          scope.push_back(decl);
      context.setTraversalScope(scope);
      inner_->HandleTranslationUnit(context);
    }
    bool shouldSkipFunctionBody(Decl *decl) override { return !in_scope(decl); }

  private:
    bool in_scope(const Decl *decl) {
      return !files_.path(sm_, sm_.getFileID(sm_.getExpansionLoc(decl->getLocation()))).empty();
    }

    std::unique_ptr<ASTConsumer> inner_;
    const SourceManager &sm_;
    ReportableFiles &files_;
  };

  ast_matchers::MatchFinder &finder_;
  ReportableFiles &files_;
  FileResult &result_;
};

// Whether the unit's own code (its text lexed raw: no preprocessing, comments skipped) spells one
// of `names`. Then the unit is parsed without the prefilter, which would preprocess its headers
// first, only to find what the unit names itself; a name in dead code (`#if 0`) costs a parse
// that finds nothing, never a finding. `text` ends with a NUL, as clang's lexer requires.
bool spells_any(std::string_view text, const std::vector<std::string> &names) {
  LangOptions options;
  options.CPlusPlus = options.CPlusPlus11 = options.CPlusPlus14 = options.CPlusPlus17 = true;
  options.LineComment = true;
  Lexer lexer(SourceLocation(), options, text.data(), text.data(), text.data() + text.size());
  Token token;
  while (!lexer.LexFromRawLexer(token))
    if (token.is(tok::raw_identifier) &&
        std::find(names.begin(), names.end(), token.getRawIdentifier()) != names.end())
      return true;
  return false;
}

class CppFrontend final : public Frontend {
  // Whether the unit may hold anything for the enabled checks (see PrefilterAction).
  static bool may_match(tooling::ClangTool &tool, std::string_view text, const Settings &settings,
                        FileResult &result) {
    auto names =
        required_words<CppCheck>(settings, [](const CppCheck &check, const RuleSettings &rule) {
          return check.required_names(rule);
        });
    if (!names)
      return true;
    for (std::string &name : *names)
      name = name.substr(name.rfind(':') + 1);
    if (spells_any(text, *names))
      return true;
    bool found = false;
    IgnoringDiagConsumer quiet; // the parse that follows reports what matters
    tool.setDiagnosticConsumer(&quiet);
    SafeActionFactory prefilter(
        [&] { return std::make_unique<PrefilterAction>(*names, found, result); });
    const Run run = run_contained(tool, prefilter); // sets `found`
    return found || run != Run::Ok;
  }

  static std::string absolute(const SourceFile &source) {
    return fs::absolute(source.path()).lexically_normal().string();
  }

public:
  Language language() const override { return Language::Cpp; }

  void analyze(const SourceFile &source, const Settings &settings, const RunContext &run,
               FileResult &result) const override {
    if (!any_check_enabled<CppCheck>(settings))
      return;
    const std::string file = absolute(source);
    const UnitCommands commands(file, settings, run);
    // A file system of its own: the real one's working directory is the process's, which
    // ClangTool would change to each command's `directory` under the other threads' feet.
    tooling::ClangTool tool(
        commands.get(), {file}, std::make_shared<PCHContainerOperations>(),
        llvm::makeIntrusiveRefCnt<RegularFilesOnly>(llvm::vfs::createPhysicalFileSystem()));
    std::set<std::string> removed;
    tool.appendArgumentsAdjuster([&removed](const tooling::CommandLineArguments &args, StringRef) {
      return sanitize(args, removed);
    });
    // Analyze the text leash read, so positions match what it reports.
    tool.mapVirtualFile(file, source.text());
    tool.setPrintErrorMessage(false); // stderr is shared by the threads
    clang::noteBottomOfStack();       // lets clang see (and avoid) deep recursion on this thread
    result.analyzed = true;
    if (may_match(tool, source.text(), settings, result)) {
      FirstError errors;
      tool.setDiagnosticConsumer(&errors);
      const Run status = match(tool, source, settings, run, result);
      record_outcome(status, errors, source, file, commands.inferred_from(), run, result);
    }
    for (const std::string &flag : removed)
      result.notes.push_back({source.path(), 0, 0,
                              fmt::format("removed `{}` from the compile command: leash never "
                                          "lets a scanned repository load code into clang",
                                          flag)});
  }

private:
  // Parses the unit with the enabled checks' matchers on it.
  static Run match(tooling::ClangTool &tool, const SourceFile &source, const Settings &settings,
                   const RunContext &run, FileResult &result) {
    // Answers by FileID: one source manager, as the unit has one command (FirstCommandOnly).
    ReportableFiles files(source.path(), run.roots, run.workspace);
    ast_matchers::MatchFinder finder;
    std::deque<CheckContext> contexts;
    std::deque<CppReporter> reporters;
    std::vector<std::unique_ptr<ast_matchers::MatchFinder::MatchCallback>> callbacks;
    for (const auto &item : CheckList<CppCheck>::items()) {
      const RuleSettings *rule = settings.enabled(item.rule, Language::Cpp);
      if (!rule)
        continue;
      contexts.emplace_back(source, *rule, Language::Cpp, result);
      reporters.emplace_back(contexts.back(), files);
      for (auto &callback : item.check->register_matchers(finder, reporters.back()))
        callbacks.push_back(std::move(callback));
    }
    SafeActionFactory factory([&] { return std::make_unique<MatchAction>(finder, files, result); });
    const Run status = run_contained(tool, factory);
    if (files.config_error())
      std::rethrow_exception(files.config_error());
    return status;
  }

  // A crash drops the unit's findings; an error is reported where clang saw it: at the unit's
  // line, or at a header's own path and line when the header is in the scanned tree.
  // A unit that the compilation database does not list, and that fails to compile with the
  // command inferred from its neighbours, belongs to no configured target (an example, a
  // platform's file): it is not analyzed, and says so once, as a note.
  static void record_outcome(Run status, const FirstError &errors, const SourceFile &source,
                             const std::string &file, const std::optional<fs::path> &inferred_from,
                             const RunContext &run, FileResult &result) {
    const auto drop_results = [&] {
      result.findings.clear();
      result.conditional.clear();
      result.facts.clear();
      result.cacheable = false;
    };
    if (status == Run::Crashed) {
      // What the crashed unit reported so far may lack what would have refuted it.
      drop_results();
      result.errors.push_back({source.path(), 0, 0,
                               "clang crashed while analyzing this unit; its findings are "
                               "dropped, and the rest of the scan went on"});
      return;
    }
    if (!errors.found)
      return;
    if (inferred_from) {
      drop_results();
      const std::string where = fmt::format(
          "{}:{}", errors.where.empty() ? source.path() : display_path(errors.where), errors.line);
      result.notes.push_back(
          {source.path(), 0, 0,
           fmt::format("not analyzed: {}/compile_commands.json does not list this file, and "
                       "the command inferred from the files it lists fails ({} at {}); add the "
                       "file to a target, or exclude it",
                       display_path(*inferred_from), errors.message, where)});
      return;
    }
    // A header not found may appear without the unit changing: the result is not cached.
    result.cacheable = false;
    const std::string message =
        fmt::format("{} (analyzed as far as clang recovered)", errors.message);
    if (errors.where.empty() || fs::path(errors.where) == fs::path(file)) {
      result.errors.push_back({source.path(), errors.line, errors.column, message});
      return;
    }
    std::error_code ec;
    const fs::path header = fs::weakly_canonical(fs::absolute(errors.where), ec);
    for (const fs::path &root : run.roots) {
      if (within(header, root)) {
        result.errors.push_back({display_path(header), errors.line, errors.column,
                                 fmt::format("{}, compiling {}", message, source.path())});
        return;
      }
    }
    result.errors.push_back(
        {source.path(), 0, 0, fmt::format("{} in {}:{}", message, errors.where, errors.line)});
  }
};

} // namespace

} // namespace leash::cpp

// What the executable's loader (frontend/cpp/cpp_loader.cpp) asks this module for: the build it
// belongs with, and its front end.
extern "C" const char *leash_cpp_abi() {
  static const std::string stamp = leash::cpp::abi_stamp();
  return stamp.c_str();
}

extern "C" const leash::Frontend *leash_cpp_frontend() {
  static const leash::cpp::CppFrontend frontend;
  return &frontend;
}
