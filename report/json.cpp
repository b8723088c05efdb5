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
  const auto messages = [](const std::vector<FileError> &list) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const FileError &e : list)
      out.push_back(
          {{"path", e.path}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
    return out;
  };
  nlohmann::ordered_json report = {{"version", kVersion},
                                   {"findings", std::move(findings)},
                                   {"errors", messages(scan.errors)},
                                   {"notes", messages(scan.notes)},
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
