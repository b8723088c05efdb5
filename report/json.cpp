#include "report/report.h"

#include "leash/version.h"

#include <nlohmann/json.hpp>

namespace leash {

std::string format_json(const ScanResult &scan) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding &f : scan.findings) {
    if (f.suppressed)
      continue;
    findings.push_back({{"rule", f.rule},
                        {"severity", to_string(f.severity)},
                        {"path", f.path},
                        {"line", f.span.start.line},
                        {"column", f.span.start.column},
                        {"end_line", f.span.end.line},
                        {"end_column", f.span.end.column},
                        {"message", f.message},
                        {"fingerprint", f.fingerprint}});
  }
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const FileError &e : scan.errors)
    errors.push_back(
        {{"path", e.path}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const FileError &n : scan.notes)
    notes.push_back(
        {{"path", n.path}, {"line", n.line}, {"column", n.column}, {"message", n.message}});
  nlohmann::ordered_json report = {{"version", kVersion},
                                   {"findings", std::move(findings)},
                                   {"errors", std::move(errors)},
                                   {"notes", std::move(notes)},
                                   {"stats",
                                    {{"files", scan.stats.files},
                                     {"analyzed", scan.stats.analyzed},
                                     {"findings", scan.stats.findings},
                                     {"suppressed", scan.stats.suppressed},
                                     {"errors", scan.stats.errors}}}};
  // Names in messages come from the scanned files, which may hold invalid UTF-8.
  return report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace leash
