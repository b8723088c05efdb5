#include "core/baseline.h"

#include "core/read_file.h"

#include "core/config.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace leash {

namespace {

// SARIF URIs are percent-encoded.
std::string uri_decode(std::string_view uri) {
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(uri[i + 1]) &&
        std::isxdigit(uri[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

const nlohmann::json *member(const nlohmann::json &object,
                             std::initializer_list<const char *> path) {
  const nlohmann::json *at = &object;
  for (const char *key : path) {
    if (!at->is_object())
      return nullptr;
    const auto it = at->find(key);
    if (it == at->end())
      return nullptr;
    at = &*it;
  }
  return at;
}

std::string text_of(const nlohmann::json *value) {
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

} // namespace

Baseline Baseline::load(const std::filesystem::path &file) {
  std::string text;
  if (const auto failure = read_regular_file(file, kMaxReportBytes, text))
    throw UsageError(
        fmt::format("{}: cannot read the baseline: {}", file.string(), failure->message));
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception &e) { // a syntax error, or a number out of range
    throw UsageError(fmt::format("{}: the baseline is not JSON: {}", file.string(), e.what()));
  }
  Baseline baseline;
  bool recognized = false;
  const auto add = [&](std::string path, std::string rule, std::string fingerprint) {
    if (!path.empty() && !rule.empty() && !fingerprint.empty())
      baseline.keys_.emplace(std::move(path), std::move(rule), std::move(fingerprint));
  };
  if (const auto *runs = member(report, {"runs"}); runs && runs->is_array()) { // SARIF
    recognized = true;
    for (const auto &run : *runs) {
      const auto *results = member(run, {"results"});
      if (!results || !results->is_array())
        continue;
      for (const auto &result : *results) {
        const auto *locations = member(result, {"locations"});
        if (!locations || !locations->is_array() || locations->empty())
          continue;
        add(uri_decode(
                text_of(member((*locations)[0], {"physicalLocation", "artifactLocation", "uri"}))),
            text_of(member(result, {"ruleId"})),
            text_of(member(result, {"partialFingerprints", "primaryLocationLineHash"})));
      }
    }
  } else if (const auto *findings = member(report, {"findings"});
             findings && findings->is_array()) { // leash JSON
    recognized = true;
    for (const auto &finding : *findings)
      add(text_of(member(finding, {"path"})), text_of(member(finding, {"rule"})),
          text_of(member(finding, {"fingerprint"})));
  }
  if (!recognized)
    throw UsageError(
        fmt::format("{}: not a leash report (expected `--format json` or `--format sarif` output)",
                    file.string()));
  return baseline;
}

bool Baseline::contains(const Finding &finding) const {
  return keys_.contains({finding.path, finding.rule, finding.fingerprint});
}

void apply_baseline(const Baseline &baseline, ScanResult &result) {
  for (Finding &finding : result.findings) {
    if (finding.suppressed || !baseline.contains(finding))
      continue;
    finding.baseline = true;
    --result.stats.findings;
    ++result.stats.baseline;
  }
}

} // namespace leash
