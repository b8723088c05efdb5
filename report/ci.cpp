// The formats CI systems read natively: GitHub Actions workflow commands and GitLab Code Quality.
#include "report/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace leash {

namespace {

// GitHub's escaping: a command's message escapes % and line breaks; its properties also , and :.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string_view github_command(Severity severity) {
  return severity == Severity::Error     ? "error"
         : severity == Severity::Warning ? "warning"
                                         : "notice";
}

std::string_view gitlab_severity(Severity severity) {
  return severity == Severity::Error ? "major" : severity == Severity::Warning ? "minor" : "info";
}

} // namespace

std::string format_github(const ScanResult &scan, const ReportContext &) {
  std::string out;
  for (const Finding &f : scan.findings) {
    if (f.suppressed || f.baseline)
      continue;
    out += fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                       github_command(f.severity), escape_property(f.path), f.span.start.line,
                       f.span.start.column, f.span.end.line, f.span.end.column,
                       escape_property("leash: " + f.rule), escape_data(f.message));
  }
  const auto message = [&](const FileError &e, std::string_view command) {
    std::string where = "file=" + escape_property(e.path);
    if (e.line > 0)
      where += fmt::format(",line={},col={}", e.line, std::max(e.column, 1));
    out += fmt::format("::{} {},title=leash::{}\n", command, where, escape_data(e.message));
  };
  for (const FileError &e : scan.errors)
    message(e, "error");
  for (const FileError &n : scan.notes)
    message(n, "notice");
  return out;
}

std::string format_gitlab(const ScanResult &scan, const ReportContext &) {
  using Json = nlohmann::ordered_json;
  Json issues = Json::array();
  const auto issue = [&](std::string description, std::string check, std::string_view severity,
                         const std::string &path, int line, std::string fingerprint) {
    issues.push_back({{"type", "issue"},
                      {"description", std::move(description)},
                      {"check_name", std::move(check)},
                      {"fingerprint", std::move(fingerprint)},
                      {"severity", severity},
                      {"location", {{"path", path}, {"lines", {{"begin", std::max(line, 1)}}}}}});
  };
  for (const Finding &f : scan.findings)
    if (!f.suppressed && !f.baseline)
      // The fingerprint hashes the rule, path and line; the suffix tells equal lines apart.
      issue(f.message, f.rule, gitlab_severity(f.severity), f.path, f.span.start.line,
            fmt::format("{}{}", f.fingerprint.substr(0, f.fingerprint.find(':')),
                        f.fingerprint.substr(f.fingerprint.find(':') + 1)));
  for (const FileError &e : scan.errors)
    issue(e.message, "leash-error", "major", e.path, e.line,
          hash_of(e.path + '\n' + e.message).hex());
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace leash
