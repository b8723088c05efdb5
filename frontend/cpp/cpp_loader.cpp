// The C/C++ front end as the executable holds it. Clang's libraries take about 20 ms to load,
// which a run over YAML and Python files (a pre-commit hook) should not pay: the clang part lives
// in libleash-cpp.so, loaded from leash's own install (never from a scanned tree) on the first C
// or C++ file a scan must parse. The result cache's key needs no clang (commands.h), so a warm
// run over unchanged units never loads it either.
#include "core/analysis.h"
#include "frontend/cpp/abi.h"
#include "frontend/cpp/commands.h"

#include <fmt/format.h>

#include <dlfcn.h>
#include <fstream>
#include <sstream>

namespace leash::cpp {

namespace {

namespace fs = std::filesystem;

// Where the module is: beside the executable (a build tree), else in the install's library
// folder. Never anywhere a scanned tree or the environment could name.
std::vector<fs::path> module_candidates() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  return {exe.parent_path() / "libleash-cpp.so",
          exe.parent_path().parent_path() / LEASH_CPP_MODULE_INSTALLED};
}

// Stats and size of a file, for what changes only by upgrade (clang's libraries).
std::string stamp_of(const fs::path &path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
  return fmt::format("{} {} {}\n", path.string(), size, time);
}

struct Module {
  fs::path path;
  const Frontend *frontend = nullptr;
  std::string error;
  // What a cached C/C++ result depends on besides its unit: this module's bytes (its checks) and
  // the clang libraries it runs on. Worked out without loading it.
  std::string identity;
};

// The module that would load (found, not yet loaded), and its identity.
const Module &found() {
  static const Module module = [] {
    Module module;
    for (const fs::path &candidate : module_candidates()) {
      std::error_code ec;
      if (!fs::is_regular_file(candidate, ec))
        continue;
      module.path = candidate;
      std::ifstream in(candidate, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      module.identity = hash_of(bytes.str()).hex() + '\n' + stamp_of(LEASH_CLANG_LIBRARY) +
                        stamp_of(LEASH_LLVM_LIBRARY);
      return module;
    }
    module.error = "libleash-cpp.so is not installed beside leash";
    return module;
  }();
  return module;
}

const Module &loaded() {
  static const Module module = [] {
    Module module = found();
    if (module.path.empty())
      return module;
    void *handle = ::dlopen(module.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      module.error = ::dlerror();
      return module;
    }
    using Abi = const char *(*)();
    using Entry = const Frontend *(*)();
    const auto abi = reinterpret_cast<Abi>(::dlsym(handle, "leash_cpp_abi"));
    const auto entry = reinterpret_cast<Entry>(::dlsym(handle, "leash_cpp_frontend"));
    if (!abi || !entry || abi() != abi_stamp()) {
      module.error = fmt::format("{} belongs to another build of leash ({})", module.path.string(),
                                 abi ? abi() : "no stamp");
      ::dlclose(handle);
      return module;
    }
    module.frontend = entry();
    return module;
  }();
  return module;
}

// Whether any enabled rule runs a check on C/C++ (else there is nothing to load clang for).
bool any_cpp_rule(const Settings &settings) {
  for (const RuleSettings &rule : settings.rules())
    if (rule.targets.contains(Language::Cpp) && settings.enabled(rule.rule->id, Language::Cpp))
      return true;
  return false;
}

class CppLoader final : public Frontend {
public:
  Language language() const override { return Language::Cpp; }

  std::string cache_inputs(const InputFile &file, const RunContext &run) const override {
    std::string inputs = command_inputs(fs::absolute(file.path).lexically_normal(),
                                        file.settings->config().cpp, run);
    inputs += "\nroots\n";
    for (const fs::path &root : run.roots)
      inputs += root.string() + '\n';
    return inputs;
  }

  void analyze(const SourceFile &source, const Settings &settings, const RunContext &run,
               FileResult &result) const override {
    if (!any_cpp_rule(settings))
      return;
    if (const Frontend *clang = loaded().frontend)
      return clang->analyze(source, settings, run, result);
    result.analyzed = true;
    result.cacheable = false;
    result.errors.push_back({source.path(), 0, 0,
                             fmt::format("the C/C++ front end could not be loaded, so C and C++ "
                                         "files are not analyzed: {}",
                                         loaded().error)});
  }
};

LEASH_REGISTER_FRONTEND(CppLoader);

// `leash rules`, SARIF's rule tags and the meta-tests list every language's checks: the C/C++
// checks register themselves when the module loads.
const bool registered = [] {
  detail::register_loader([] { (void)loaded(); });
  return true;
}();

} // namespace

} // namespace leash::cpp
