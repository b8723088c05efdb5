#include "report/report.h"

#include "leash/version.h"

#include <nlohmann/json.hpp>

namespace leash {

namespace {

using Json = nlohmann::ordered_json;

Json position(const Span &span) {
  return {{"line", span.start.line},
          {"column", span.start.column},
          {"end_line", span.end.line},
          {"end_column", span.end.column}};
}

} // namespace

std::string format_json(const ScanResult &scan, const ReportContext &context) {
  Json findings = Json::array();
  for (const Finding &f : scan.findings) {
    if (f.suppressed || f.baseline)
      continue;
    Json finding = {{"rule", f.rule}, {"severity", to_string(f.severity)}, {"path", f.path}};
    finding.update(position(f.span));
    finding["message"] = f.message;
    finding["fingerprint"] = f.fingerprint;
    if (f.fix) {
      Json edits = Json::array();
      for (const Edit &edit : f.fix->edits) {
        Json json = position(edit.range);
        json["text"] = edit.text;
        edits.push_back(std::move(json));
      }
      finding["fix"] = {{"description", f.fix->description}, {"edits", std::move(edits)}};
    }
    findings.push_back(std::move(finding));
  }
  const auto messages = [](const std::vector<FileError> &list) {
    Json out = Json::array();
    for (const FileError &e : list)
      out.push_back(
          {{"path", e.path}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
    return out;
  };
  Json report = {{"version", kVersion},
                 {"findings", std::move(findings)},
                 {"errors", messages(scan.errors)},
                 {"notes", messages(scan.notes)},
                 {"stats",
                  {{"files", scan.stats.files},
                   {"analyzed", scan.stats.analyzed},
                   {"findings", scan.stats.findings},
                   {"suppressed", scan.stats.suppressed},
                   {"baseline", scan.stats.baseline},
                   {"outside_diff", scan.stats.outside_diff},
                   {"fixed", scan.stats.fixed},
                   {"errors", scan.stats.errors}}}};
  if (context.state)
    report[kScanStateKey] = state_to_json(*context.state);
  // Names in messages come from the scanned files, which may hold invalid UTF-8.
  return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace leash
