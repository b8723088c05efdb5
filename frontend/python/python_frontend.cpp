// The Python front end: parses each module with tree-sitter (recovering from syntax errors, which
// are reported once per file) and runs the enabled Python checks on it.
#include "frontend/python/class_index.h"
#include "frontend/python/python_check.h"

#include <algorithm>

namespace leash::python {

namespace {

class PythonFrontend final : public Frontend {
  // Whether the module's text has a word some enabled check needs (see required_text), or names
  // a class the tree derives from one they judge: most modules import none of the libraries the
  // call rules look at, and are not parsed.
  static bool may_match(std::string_view text, const Settings &settings, const ClassIndex *tree) {
    const auto words = required_words<PythonCheck>(
        settings, [](const PythonCheck &check, const RuleSettings &rule) -> const auto & {
          return check.required_text(rule);
        });
    const auto in_text = [&](std::string_view word) {
      return text.find(word) != std::string_view::npos;
    };
    return !words || std::any_of(words->begin(), words->end(), in_text) ||
           (tree && tree->mentioned(text));
  }

public:
  Language language() const override { return Language::Python; }

  std::shared_ptr<const TreeIndex> index(const std::vector<const InputFile *> &files, int jobs,
                                         Cache *cache) const override {
    return ClassIndex::build(files, jobs, cache);
  }

  void analyze(const SourceFile &source, const Settings &settings, const RunContext &run,
               FileResult &result) const override {
    if (!any_check_enabled<PythonCheck>(settings))
      return;
    result.analyzed = true;
    const ClassIndex *tree = run.index<ClassIndex>(Language::Python);
    if (!may_match(source.text(), settings, tree))
      return;
    const Module module(source, tree);
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
