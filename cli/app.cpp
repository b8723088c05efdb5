#include "cli/app.h"

#include "cli/commands.h"
#include "cli/options.h"
#include "core/analysis.h"
#include "core/config.h"
#include "core/suggest.h"
#include "leash/version.h"
#include "report/report.h"
#include "report/rule_docs.h"

#include <fmt/format.h>

#include <iostream>

namespace leash {

namespace {

int run_rules(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
  std::string format = "text";
  bool check = false;
  ArgReader reader(args);
  while (!reader.done()) {
    if (reader.flag("--check"))
      check = true;
    else if (!reader.value("--format", format))
      throw UsageError(fmt::format("rules: unexpected argument `{}`", reader.peek()));
  }
  const Catalog &catalog = Catalog::builtin();
  if (check) {
    // Every rule's targets read by its checks' own parsers (the build runs this).
    try {
      const size_t checked = validate_catalog(catalog);
      out << fmt::format("rules: {} rules, {} checks: targets valid\n", catalog.rules().size(),
                         checked);
      return kExitClean;
    } catch (const CatalogError &e) {
      err << "leash: error: " << e.what() << "\n";
      return kExitError;
    }
  }
  if (format == "text") {
    out << rules_table(catalog);
  } else if (format == "markdown") {
    out << rules_reference(catalog);
  } else if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const Rule &rule : catalog.rules()) {
      rules.push_back({{"id", rule.id},
                       {"name", rule.name},
                       {"severity", to_string(rule.severity)},
                       {"opt_in", rule.opt_in},
                       {"languages", to_strings(rule.languages)},
                       {"opt_in_languages", to_strings(rule.opt_in_languages)},
                       {"summary", rule.summary},
                       {"tags", rule.tags}});
    }
    out << rules.dump(2) << "\n";
  } else {
    throw UsageError(fmt::format("--format: expected text, json or markdown, not `{}`", format));
  }
  return kExitClean;
}

int run_explain(const std::vector<std::string> &args, std::ostream &out) {
  if (args.size() != 1)
    throw UsageError("explain takes one rule id, e.g. `leash explain missing-memory-limit`");
  const Catalog &catalog = Catalog::builtin();
  const Rule *rule = catalog.find(args[0]);
  if (!rule)
    throw UsageError(
        fmt::format("unknown rule `{}`{}", args[0], did_you_mean(args[0], catalog.ids())));
  out << rule_markdown(*rule);
  return kExitClean;
}

} // namespace

int run_cli(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
            const Terminal &terminal) {
  try {
    if (args.empty()) {
      err << kUsage;
      return kExitError;
    }
    const std::string &command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      out << kUsage;
      return kExitClean;
    }
    if (command == "--version" || command == "version") {
      out << "leash " << kVersion << "\n";
      return kExitClean;
    }
    if (command == "check")
      return run_check(rest, out, err, terminal);
    if (command == "merge")
      return run_merge(rest, out, err, terminal);
    if (command == "rules")
      return run_rules(rest, out, err);
    if (command == "explain")
      return run_explain(rest, out);
    throw UsageError(
        fmt::format("unknown command `{}`{}; see `leash --help`", command,
                    did_you_mean(command, {"check", "merge", "rules", "explain", "version"})));
  } catch (const UsageError &e) {
    err << "leash: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception &e) {
    err << "leash: internal error: " << e.what() << "\n";
    return kExitError;
  }
}

} // namespace leash
