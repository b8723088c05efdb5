#include "report/report.h"

#include "core/analysis.h"
#include "leash/version.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

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
  for (Language language : languages_of(rule.id))
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

Json result(const Finding &f, int rule_index) {
  Json region = {{"startLine", f.span.start.line},
                 {"startColumn", f.span.start.column},
                 {"endLine", f.span.end.line},
                 {"endColumn", f.span.end.column}};
  Json out = {{"ruleId", f.rule},
              {"ruleIndex", rule_index},
              {"level", level(f.severity)},
              {"message", {{"text", f.message}}},
              {"locations",
               Json::array({{{"physicalLocation",
                              {{"artifactLocation", artifact(f.path)}, {"region", region}}}}})},
              {"partialFingerprints", {{"primaryLocationLineHash", f.fingerprint}}}};
  if (f.suppressed)
    out["suppressions"] = Json::array({{{"kind", "inSource"}}});
  return out;
}

Json notification(const FileError &e, std::string_view kind) {
  Json location = {{"artifactLocation", artifact(e.path)}};
  if (e.line > 0)
    location["region"] = {{"startLine", e.line}, {"startColumn", std::max(e.column, 1)}};
  return {{"level", kind},
          {"message", {{"text", fmt::format("{}: {}", e.path, e.message)}}},
          {"locations", Json::array({{{"physicalLocation", location}}})}};
}

} // namespace

std::string format_sarif(const ScanResult &scan, const Settings &settings,
                         const std::filesystem::path &source_root) {
  const Catalog &catalog = settings.catalog();
  Json rules = Json::array();
  for (size_t i = 0; i < catalog.rules().size(); ++i)
    rules.push_back(rule_descriptor(catalog.rules()[i], settings.rules()[i]));

  Json results = Json::array();
  for (const Finding &f : scan.findings)
    results.push_back(result(f, catalog.index_of(f.rule)));

  Json notifications = Json::array();
  for (const FileError &e : scan.errors)
    notifications.push_back(notification(e, "error"));
  for (const FileError &n : scan.notes)
    notifications.push_back(notification(n, "note"));

  std::string root = source_root.generic_string();
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
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)}};
  Json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", Json::array({std::move(run)})}};
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace leash
