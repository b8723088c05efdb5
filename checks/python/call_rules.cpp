// The Python "call rules" engine: one check, fed by `targets.python` in each rule's YAML, that
// judges calls (and decorators) by their fully qualified callee and arguments. Supporting another
// client library is a line of YAML and a fixture. An entry reads:
//
//   - callees: [asyncpg.create_pool, asyncpg.connect]
//     require:                 # flag unless one of these holds
//       - keyword: command_timeout   # passed (by name, or at `position`), and not None
//         unset: [none, nonpositive] # values that count as not passed (default: [none])
//       - string_contains: statement_timeout  # a string literal among the arguments has it
//       - dict_key: [connect_timeout]         # a dict literal among the arguments has that key
//     unless:                  # do not judge the call when one of these holds (same conditions,
//       - keyword: connection_pool            #  plus first_string_startswith: sqlite)
//     forbid:                  # flag when one of these holds: {keyword, position, equals}
//     context: [loop, route_handler]  # flag when the call is made there
//     decorator: true          # also match bare decorators (`@functools.cache`)
//     message: "...{callee}..."
//     fix: {keyword: command_timeout, option: fix-command-timeout}  # --fix passes the keyword
//                              # (or sets it, or the argument at `position`) to the option's value
//
// An entry with none of require/forbid/context flags every match. Keyword conditions whose
// keyword may hide in an unknown `**spread` count as satisfied: leash never guesses.
#include "core/strings.h"
#include "frontend/python/edit.h"
#include "frontend/python/python_check.h"

#include <fmt/format.h>

#include <unordered_map>

namespace leash::python {

namespace {

enum class Truth { False, True, Unknown };

struct Condition {
  std::string keyword;
  int position = -1;
  bool none_unset = true;
  bool nonpositive_unset = false;
  std::optional<nlohmann::json> equals;
  std::string string_contains;
  std::string first_string_startswith;
  std::vector<std::string> dict_keys;
};

// What --fix does to a flagged call: pass `keyword` (or set it, or the argument at `position`)
// with the value of the rule's option `option`.
struct FixSpec {
  std::string keyword;
  int position = -1;
  std::string option;
};

struct Entry {
  std::vector<Condition> require, unless, forbid;
  bool in_loop = false, in_route_handler = false;
  bool decorator = false;
  std::string message;
  std::optional<FixSpec> fix;
};

struct Spec {
  std::vector<Entry> entries;
  std::unordered_map<std::string, std::vector<size_t>> by_callee;
};

Condition parse_condition(const nlohmann::json &json) {
  Condition c;
  c.keyword = json.value("keyword", "");
  c.position = json.value("position", -1);
  if (json.contains("unset")) {
    c.none_unset = false;
    for (const auto &u : json["unset"]) {
      c.none_unset |= u == "none";
      c.nonpositive_unset |= u == "nonpositive";
    }
  }
  if (json.contains("equals"))
    c.equals = json["equals"];
  c.string_contains = json.value("string_contains", "");
  c.first_string_startswith = json.value("first_string_startswith", "");
  if (json.contains("dict_key"))
    c.dict_keys = json["dict_key"].get<std::vector<std::string>>();
  return c;
}

std::vector<Condition> parse_conditions(const nlohmann::json &entry, const char *key) {
  std::vector<Condition> conditions;
  if (entry.contains(key))
    for (const auto &c : entry[key])
      conditions.push_back(parse_condition(c));
  return conditions;
}

Spec build_spec(const nlohmann::json &targets) {
  Spec spec;
  const auto python = targets.find("python");
  if (python == targets.end())
    return spec;
  for (const auto &json : *python) {
    Entry entry;
    entry.require = parse_conditions(json, "require");
    entry.unless = parse_conditions(json, "unless");
    entry.forbid = parse_conditions(json, "forbid");
    for (const auto &c : json.value("context", nlohmann::json::array())) {
      entry.in_loop |= c == "loop";
      entry.in_route_handler |= c == "route_handler";
    }
    entry.decorator = json.value("decorator", false);
    entry.message = json.value("message", "");
    if (json.contains("fix"))
      entry.fix = FixSpec{json["fix"].value("keyword", ""), json["fix"].value("position", -1),
                          json["fix"].value("option", "")};
    for (const auto &callee : json["callees"])
      spec.by_callee[callee.get<std::string>()].push_back(spec.entries.size());
    spec.entries.push_back(std::move(entry));
  }
  return spec;
}

class Judge {
public:
  Judge(const Module &module, const Call &call) : module_(module), call_(call) {}

  Truth evaluate(const Condition &c) const {
    if (!c.keyword.empty())
      return keyword(c);
    if (!c.string_contains.empty())
      return any_string(
          [&](const std::string &s) { return s.find(c.string_contains) != std::string::npos; });
    if (!c.first_string_startswith.empty()) {
      if (call_.positional.empty())
        return Truth::False;
      const auto text = module_.string(call_.positional[0]);
      return text && text->starts_with(c.first_string_startswith) ? Truth::True : Truth::False;
    }
    if (!c.dict_keys.empty())
      return any_dict_key(c.dict_keys);
    return Truth::False;
  }

private:
  std::optional<TSNode> argument(const Condition &c) const {
    for (const Keyword &k : call_.keywords)
      if (k.name == c.keyword)
        return k.value;
    if (c.position >= 0 && static_cast<size_t>(c.position) < call_.positional.size())
      return call_.positional[c.position];
    return std::nullopt;
  }

  Truth keyword(const Condition &c) const {
    const auto value = argument(c);
    if (!value)
      return call_.unknown_keywords ? Truth::Unknown : Truth::False;
    if (c.equals) {
      if (c.equals->is_null())
        return module_.is_none(*value) ? Truth::True : Truth::False;
      const auto number = module_.integer(*value);
      return number && *c.equals == *number ? Truth::True : Truth::False;
    }
    if (c.none_unset && module_.is_none(*value))
      return Truth::False;
    if (c.nonpositive_unset) {
      const auto number = module_.integer(*value);
      if (number && *number <= 0)
        return Truth::False;
    }
    return Truth::True;
  }

  template <class Visit> void each_argument_node(Visit visit) const {
    auto all = [&](TSNode node) {
      visit(node);
      return true;
    };
    for (TSNode node : call_.positional)
      for_each_node(node, all);
    for (const Keyword &k : call_.keywords)
      for_each_node(k.value, all);
  }

  template <class Test> Truth any_string(Test test) const {
    bool found = false;
    each_argument_node([&](TSNode node) {
      if (!found && type_of(node) == "string")
        if (const auto text = module_.string(node))
          found = test(*text);
    });
    return found ? Truth::True : call_.unknown_keywords ? Truth::Unknown : Truth::False;
  }

  Truth any_dict_key(const std::vector<std::string> &keys) const {
    auto wanted = [&](std::string_view key) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    bool found = false;
    each_argument_node([&](TSNode node) {
      if (found)
        return;
      if (type_of(node) == "pair") {
        const auto key = module_.string(field(node, "key"));
        found = key && wanted(*key);
      } else if (type_of(node) == "keyword_argument") { // dict(connect_timeout=5)
        found = wanted(module_.text(field(node, "name")));
      }
    });
    return found ? Truth::True : call_.unknown_keywords ? Truth::Unknown : Truth::False;
  }

  const Module &module_;
  const Call &call_;
};

bool flags(const Entry &entry, const Module &module, const Call &call) {
  const Judge judge(module, call);
  for (const Condition &c : entry.unless)
    if (judge.evaluate(c) != Truth::False)
      return false;
  if (!entry.forbid.empty())
    return std::any_of(entry.forbid.begin(), entry.forbid.end(),
                       [&](const Condition &c) { return judge.evaluate(c) == Truth::True; });
  if (entry.in_loop || entry.in_route_handler)
    return (entry.in_loop && call.in_loop) || (entry.in_route_handler && call.in_route_handler);
  if (!entry.require.empty())
    return std::all_of(entry.require.begin(), entry.require.end(),
                       [&](const Condition &c) { return judge.evaluate(c) == Truth::False; });
  return true;
}

std::optional<Fix> fix_for(const Entry &entry, const Module &module, const Call &call,
                           const CheckContext &context) {
  if (!entry.fix)
    return std::nullopt;
  const nlohmann::json &option = context.option(entry.fix->option);
  if (!option.is_number() && !option.is_string())
    return std::nullopt; // the catalog test checks every fix names an option of its rule
  const std::string value = option.is_string() ? option.get<std::string>() : option.dump();
  std::vector<Edit> edits =
      set_argument(module, call, entry.fix->keyword, entry.fix->position, value);
  if (edits.empty())
    return std::nullopt;
  return Fix{fmt::format("pass {}={}", entry.fix->keyword, value), std::move(edits)};
}

class CallRules final : public PythonCheck {
public:
  void check(const Module &module, CheckContext &context) const override {
    const auto spec = parsed_targets<Spec>(context.targets(), build_spec);
    for (const Call &call : module.calls()) {
      auto it = spec->by_callee.find(call.callee);
      if (it == spec->by_callee.end())
        continue;
      for (size_t index : it->second) {
        const Entry &entry = spec->entries[index];
        if (flags(entry, module, call)) {
          context.report(module.span(call.report_at), with_callee(entry.message, call.callee),
                         fix_for(entry, module, call, context));
          break; // one finding per call and rule
        }
      }
    }
    for (const DecoratorReference &reference : module.decorator_references()) {
      auto it = spec->by_callee.find(reference.name);
      if (it == spec->by_callee.end())
        continue;
      for (size_t index : it->second)
        if (const Entry &entry = spec->entries[index]; entry.decorator) {
          context.report(module.span(reference.report_at),
                         with_callee(entry.message, reference.name));
          break;
        }
    }
  }
};

} // namespace

LEASH_REGISTER_CHECK(PythonCheck, CallRules, "missing-command-timeout");
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "missing-socket-timeout");
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "unpooled-redis-client");
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "unbounded-pool");
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "unbounded-queue");
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "unbounded-cache");

} // namespace leash::python
