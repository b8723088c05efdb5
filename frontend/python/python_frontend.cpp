// The Python front end: parses each module with tree-sitter (recovering from syntax errors, which
// are reported once per file) and runs the enabled Python checks on it.
#include "frontend/python/python_check.h"

namespace leash::python {

namespace {

class PythonFrontend final : public Frontend {
public:
  Language language() const override { return Language::Python; }

  void analyze(const SourceFile &source, const Settings &settings, const RunContext & /*run*/,
               FileResult &result) const override {
    if (!any_check_enabled<PythonCheck>(settings))
      return;
    const Module module(source);
    result.analyzed = true;
    if (const auto &error = module.syntax_error())
      result.errors.push_back({source.path(), error->at.line, error->at.column,
                               error->message + " (the rest of the file was still checked)"});
    for_each_enabled_check<PythonCheck>(
        source, settings, result,
        [&](const PythonCheck &check, CheckContext &context) { check.check(module, context); });
  }
};

LEASH_REGISTER_FRONTEND(PythonFrontend);

} // namespace

} // namespace leash::python
