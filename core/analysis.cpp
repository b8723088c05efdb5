#include "core/analysis.h"

#include "core/glob.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

namespace leash {

namespace {

std::vector<CheckInfo> &check_infos() {
  static std::vector<CheckInfo> infos;
  return infos;
}

std::vector<const Frontend *> &frontends() {
  static std::vector<const Frontend *> list;
  return list;
}

std::vector<void (*)()> &loaders() {
  static std::vector<void (*)()> list;
  return list;
}

} // namespace

const nlohmann::json &CheckContext::option(std::string_view name) const {
  static const nlohmann::json kNull;
  auto it = rule_.options.find(name);
  return it == rule_.options.end() ? kNull : *it;
}

std::vector<std::string> CheckContext::string_list_option(std::string_view name) const {
  std::vector<std::string> items;
  for (const auto &item : option(name))
    if (item.is_string())
      items.push_back(item.get<std::string>());
  return items;
}

bool CheckContext::path_matches_option(std::string_view name, std::string_view path) const {
  for (const auto &item : option(name))
    if (item.is_string() && path_excluded(item.get_ref<const std::string &>(), path))
      return true;
  return false;
}

void CheckContext::report(const Span &span, std::string message, std::optional<Fix> fix,
                          std::optional<Severity> at_most) {
  report_in(source_.path(), span, std::move(message));
  result_.findings.back().fix = std::move(fix);
  result_.findings.back().at_most = at_most;
  if (at_most)
    result_.findings.back().severity = std::min(result_.findings.back().severity, *at_most);
}

Finding CheckContext::make_finding(std::string path, const Span &span, std::string message) const {
  Finding finding;
  finding.rule = rule_.rule->id;
  finding.severity = rule_.severity;
  finding.path = std::move(path);
  finding.span = span;
  finding.message = std::move(message);
  return finding;
}

void CheckContext::report_in(std::string path, const Span &span, std::string message) {
  result_.findings.push_back(make_finding(std::move(path), span, std::move(message)));
}

std::string CheckContext::fact(const std::string &name) const {
  return rule_.rule->id + '\n' + name;
}

void CheckContext::report_if(std::string path, const Span &span, std::string message,
                             Condition condition, std::optional<Fix> fix) {
  condition.refuted_by = fact(condition.refuted_by);
  for (std::string &need : condition.needs)
    need = fact(need);
  for (std::string &refuter : condition.also_refuted_by)
    refuter = fact(refuter);
  if (condition.needs_below)
    for (std::string &name : condition.needs_below->facts)
      name = fact(name);
  result_.conditional.push_back(
      {make_finding(std::move(path), span, std::move(message)), std::move(condition)});
  result_.conditional.back().finding.fix = std::move(fix);
}

void CheckContext::provide(const std::string &name) { result_.facts.push_back(fact(name)); }

void CheckContext::provide_number(const std::string &name, uint64_t value) {
  result_.facts.push_back(fact(name) + kFactNumber + std::to_string(value));
}

void CheckContext::provide_if(const std::string &name, const std::string &given) {
  result_.facts.push_back(fact(name) + kFactIf + fact(given));
}

bool installed_file(std::string_view path) {
  return path.starts_with("/usr/") || path.starts_with("/opt/");
}

const Frontend *frontend_for(Language language) {
  for (const Frontend *frontend : frontends())
    if (frontend->language() == language)
      return frontend;
  return nullptr;
}

void validate_targets(const Rule &rule, Language language, const TargetData &targets) {
  const auto find = [&](const std::vector<CheckInfo> &infos) -> const CheckInfo * {
    for (const CheckInfo &info : infos)
      if (info.rule == rule.id && info.language == language)
        return &info;
    return nullptr;
  };
  const CheckInfo *check = find(check_infos());
  if (!check)
    check = find(registered_checks()); // one in a module not loaded yet
  if (!check)
    throw CatalogError(
        fmt::format("rule {} has no {} check to read its targets", rule.id, to_string(language)));
  check->validate(rule, targets);
}

size_t validate_catalog(const Catalog &catalog) {
  size_t checked = 0;
  for (const Rule &rule : catalog.rules())
    for (const auto &[language, targets] : rule.targets) {
      validate_targets(rule, language, targets);
      ++checked;
    }
  return checked;
}

const std::vector<CheckInfo> &registered_checks() {
  static std::once_flag loaded;
  std::call_once(loaded, [] {
    for (auto load : loaders())
      load();
  });
  return check_infos();
}

namespace detail {
void register_check_info(const CheckInfo &info) { check_infos().push_back(info); }
void register_frontend(const Frontend *frontend) { frontends().push_back(frontend); }
void register_loader(void (*load)()) { loaders().push_back(load); }
} // namespace detail

} // namespace leash
