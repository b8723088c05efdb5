#include "core/records.h"
#include "leash/version.h"
#include "report/report.h"

#include <fmt/format.h>

#include <array>

namespace leash {

namespace {

constexpr std::array<std::pair<Format, std::string_view>, 5> kFormats = {{
    {Format::Text, "text"},
    {Format::Json, "json"},
    {Format::Sarif, "sarif"},
    {Format::Github, "github"},
    {Format::Gitlab, "gitlab"},
}};

} // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto &[format, text] : kFormats)
    if (text == name)
      return format;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  for (const auto &[known, text] : kFormats)
    if (known == format)
      return text;
  return "text";
}

std::string format_report(Format format, const ScanResult &scan, const ReportContext &context) {
  switch (format) {
  case Format::Text:
    return format_text(scan, context);
  case Format::Json:
    return format_json(scan, context);
  case Format::Sarif:
    return format_sarif(scan, context);
  case Format::Github:
    return format_github(scan, context);
  case Format::Gitlab:
    return format_gitlab(scan, context);
  }
  return format_text(scan, context);
}

nlohmann::ordered_json state_to_json(const ScanState &state) {
  nlohmann::ordered_json out = serial::JsonWriter::to_json(state);
  out["version"] = kVersion;
  return out;
}

ScanState state_from_json(const nlohmann::ordered_json &json) {
  if (!json.is_object() || json.value("version", "") != std::string(kVersion))
    throw CorruptInput(fmt::format("made by another version of leash than {}", kVersion));
  ScanState state;
  serial::JsonReader::from_json(json, state);
  return state;
}

} // namespace leash
