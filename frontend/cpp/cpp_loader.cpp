// The C/C++ front end as the executable holds it. Clang's libraries take about 20 ms to load,
// which a run over YAML and Python files (a pre-commit hook) should not pay: the clang part lives
// in libleash-cpp.so, loaded from leash's own install (never from a scanned tree) on the first C
// or C++ file a scan must parse. The result cache's key needs no clang (commands.h), so a warm
// run over unchanged units never loads it either.
#include "core/analysis.h"
#include "frontend/cpp/commands.h"

#include <fmt/format.h>

#include <dlfcn.h>
#include <mutex>

namespace leash::cpp {

namespace {

namespace fs = std::filesystem;

// Where the module is: beside the executable (a build tree), in the install's library folder,
// else where this build put it (the test binaries, one folder down).
std::vector<fs::path> module_candidates() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / "libleash-cpp.so");
    candidates.push_back(exe.parent_path().parent_path() / LEASH_CPP_MODULE_INSTALLED);
  }
  candidates.emplace_back(LEASH_CPP_MODULE_BUILT);
  return candidates;
}

struct Module {
  const Frontend *frontend = nullptr;
  std::string error;
};

const Module &module() {
  static const Module loaded = [] {
    Module module;
    for (const fs::path &candidate : module_candidates()) {
      std::error_code ec;
      if (!fs::is_regular_file(candidate, ec))
        continue;
      void *handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        module.error = ::dlerror();
        return module;
      }
      using Entry = const Frontend *(*)();
      const auto entry = reinterpret_cast<Entry>(::dlsym(handle, "leash_cpp_frontend"));
      if (!entry) {
        module.error = fmt::format("{} has no C/C++ front end in it", candidate.string());
        return module;
      }
      module.frontend = entry();
      return module;
    }
    module.error = "libleash-cpp.so is not installed beside leash";
    return module;
  }();
  return loaded;
}

// Whether any enabled rule has C/C++ targets (else there is nothing to load clang for).
bool any_cpp_rule(const Settings &settings) {
  for (const RuleSettings &rule : settings.rules())
    if (rule.enabled && rule.rule->targets.contains("cpp"))
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
    if (const Frontend *clang = module().frontend)
      return clang->analyze(source, settings, run, result);
    result.analyzed = true;
    result.cacheable = false;
    result.errors.push_back({source.path(), 0, 0,
                             fmt::format("the C/C++ front end could not be loaded, so C and C++ "
                                         "files are not analyzed: {}",
                                         module().error)});
  }
};

LEASH_REGISTER_FRONTEND(CppLoader);

// `leash rules`, SARIF's rule tags and the meta-tests list every language's checks: the C/C++
// checks register themselves when the module loads.
const bool registered = [] {
  detail::register_loader([] { (void)module(); });
  return true;
}();

} // namespace

} // namespace leash::cpp
