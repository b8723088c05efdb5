#include "core/finding.h"

namespace leash {

std::string_view to_string(Severity severity) {
  switch (severity) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note")
    return Severity::Note;
  if (text == "warning")
    return Severity::Warning;
  if (text == "error")
    return Severity::Error;
  return std::nullopt;
}

} // namespace leash
