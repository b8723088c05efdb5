#include "report/report.h"

#include "core/analysis.h"
#include "leash/version.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace leash {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char *kSourceRoot = "%SRCROOT%";

// RFC 3986: everything but unreserved characters and '/' is percent-encoded.
std::string uri_encode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string_view level(Severity severity) {
  return severity == Severity::Error ? "error" : severity == Severity::Warning ? "warning" : "note";
}

Json artifact(const std::string &path) {
  return {{"uri", uri_encode(path)}, {"uriBaseId", kSourceRoot}};
}

Json rule_descriptor(const Rule &rule, const RuleSettings &settings) {
  std::vector<std::string> tags = rule.tags;
  for (Language language : rule.languages)
    tags.emplace_back(to_string(language));
  return {{"id", rule.id},
          {"name", rule.name},
          {"shortDescription", {{"text", rule.summary}}},
          {"fullDescription", {{"text", rule.full_description()}}},
          {"help", {{"text", rule.markdown}, {"markdown", rule.markdown}}},
          {"helpUri", rule.help_uri()},
          {"defaultConfiguration", {{"level", level(settings.severity)}}},
          {"properties", {{"tags", tags}, {"precision", rule.precision}}}};
}

Json region_of(const Span &span) {
  return {{"startLine", span.start.line},
          {"startColumn", span.start.column},
          {"endLine", span.end.line},
          {"endColumn", span.end.column}};
}

Json result(const Finding &f, int rule_index, const ReportContext &context) {
  Json out = {
      {"ruleId", f.rule},
      {"ruleIndex", rule_index},
      {"level", level(f.severity)},
      {"message", {{"text", f.message}}},
      {"locations",
       Json::array({{{"physicalLocation",
                      {{"artifactLocation", artifact(f.path)}, {"region", region_of(f.span)}}}}})},
      {"partialFingerprints", {{"primaryLocationLineHash", f.fingerprint}}}};
  if (f.suppressed)
    out["suppressions"] = Json::array({{{"kind", "inSource"}}});
  else if (f.baseline)
    out["suppressions"] = Json::array(
        {{{"kind", "external"}, {"justification", "accepted in the --baseline report"}}});
  if (context.baseline)
    out["baselineState"] = f.baseline ? "unchanged" : "new";
  if (f.fix) {
    Json replacements = Json::array();
    for (const Edit &edit : f.fix->edits)
      replacements.push_back(
          {{"deletedRegion", region_of(edit.range)}, {"insertedContent", {{"text", edit.text}}}});
    out["fixes"] = Json::array(
        {{{"description", {{"text", f.fix->description}}},
          {"artifactChanges", Json::array({{{"artifactLocation", artifact(f.path)},
                                            {"replacements", std::move(replacements)}}})}}});
  }
  return out;
}

Json notification(std::string_view kind, std::string text, const std::string &path = {},
                  int line = 0, int column = 0) {
  Json out = {{"level", kind}, {"message", {{"text", std::move(text)}}}};
  if (!path.empty()) {
    Json location = {{"artifactLocation", artifact(path)}};
    if (line > 0)
      location["region"] = {{"startLine", line}, {"startColumn", std::max(column, 1)}};
    out["locations"] = Json::array({{{"physicalLocation", location}}});
  }
  return out;
}

Json notification(const FileError &e, std::string_view kind) {
  return notification(kind, fmt::format("{}: {}", e.path, e.message), e.path, e.line, e.column);
}

} // namespace

std::string format_sarif(const ScanResult &scan, const ReportContext &context) {
  const Settings &settings = *context.settings;
  const Catalog &catalog = settings.catalog();
  Json rules = Json::array();
  for (const RuleSettings &rule : settings.rules()) // in the catalog's order: ruleIndex
    rules.push_back(rule_descriptor(*rule.rule, rule));

  // GitHub code scanning rejects a run of more than kSarifResultLimit results: the most severe
  // are kept (then in report order), and a notification says how many were left out.
  std::vector<const Finding *> kept;
  for (const Finding &f : scan.findings)
    kept.push_back(&f);
  size_t left_out = 0;
  if (kept.size() > kSarifResultLimit) {
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Finding *a, const Finding *b) { return a->severity > b->severity; });
    left_out = kept.size() - kSarifResultLimit;
    kept.resize(kSarifResultLimit);
    std::stable_sort(kept.begin(), kept.end(), [&](const Finding *a, const Finding *b) {
      return a < b; // back to report order (they point into one vector)
    });
  }
  Json results = Json::array();
  for (const Finding *f : kept)
    results.push_back(result(*f, catalog.index_of(f->rule), context));

  Json notifications = Json::array();
  for (const FileError &e : scan.errors)
    notifications.push_back(notification(e, "error"));
  for (const FileError &n : scan.notes)
    notifications.push_back(notification(n, "note"));
  if (left_out > 0)
    notifications.push_back(notification(
        "warning", fmt::format("{} results were left out: GitHub code scanning accepts at most {} "
                               "in a run, so the most severe are kept. Narrow the scan, or report "
                               "the rest with another --format.",
                               left_out, kSarifResultLimit)));

  std::string root = context.source_root.generic_string();
  if (!root.ends_with('/'))
    root += '/';
  Json run = {
      {"tool",
       {{"driver",
         {{"name", "leash"},
          {"semanticVersion", kVersion},
          {"informationUri", kHomepage},
          {"rules", std::move(rules)}}}}},
      {"invocations", Json::array({{{"executionSuccessful", !scan.internal_failure},
                                    {"toolExecutionNotifications", std::move(notifications)}}})},
      {"originalUriBaseIds", {{kSourceRoot, {{"uri", "file://" + uri_encode(root)}}}}},
      {"columnKind", "unicodeCodePoints"}};
  if (!context.sarif_category.empty()) // GitHub: the category is what comes before the last '/'
    run["automationDetails"] = {{"id", context.sarif_category.ends_with('/')
                                           ? context.sarif_category
                                           : context.sarif_category + "/"}};
  run["results"] = std::move(results);
  if (context.state)
    run["properties"] = {{kScanStateKey, state_to_json(*context.state)}};
  Json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", Json::array({std::move(run)})}};
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace leash
