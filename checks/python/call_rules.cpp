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
//     route_decorators: [get, ...]    # with route_handler: decorators that make a function one
//     decorator: true          # also match bare decorators (`@functools.cache`)
//     message: "...{callee}..."
//     severity: note           # report these at most as notes (a default that is long, not absent)
//     fix: {keyword: command_timeout, option: fix-command-timeout}  # --fix passes the keyword
//                              # (or sets it, or the argument at `position`) to the option's value
//
// An entry with none of require/forbid/context flags every match. Keyword conditions whose
// keyword may hide in an unknown `**spread` count as satisfied: leash never guesses.
#include "core/strings.h"
#include "core/suggest.h"
#include "frontend/python/edit.h"
#include "frontend/python/python_check.h"

#include <fmt/format.h>

#include <set>
#include <unordered_map>

namespace leash::python {

namespace {

enum class Truth { False, True, Unknown };

struct ArgumentTest {
  std::string keyword;
  int position = -1;
  bool none_unset = true;
  bool nonpositive_unset = false;
  std::optional<nlohmann::json> equals;
  std::vector<std::string> names; // the keyword's value is one of these (qualified) names
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
  std::vector<ArgumentTest> require, unless, forbid;
  bool in_loop = false, in_route_handler = false;
  std::set<std::string, std::less<>> route_decorators;
  bool decorator = false;
  std::string message;
  std::optional<FixSpec> fix;
  std::optional<Severity> at_most; // `severity: note`: reported as a note, whatever the rule's
};

struct Spec {
  std::vector<Entry> entries;
  std::unordered_map<std::string, std::vector<size_t>> by_callee;
  // What a module that calls one of the callees has in its text: the module it imports the callee
  // from (`redis` for redis.Redis; Module::qualify resolves a library's names through absolute
  // imports only), or a builtin's own name.
  std::vector<std::string> required_text;
  // The classes the callees build or call methods of (redis.Redis, requests.Session): the tree's
  // subclasses of them are judged as they are.
  std::vector<std::string> classes;
};

// Whether a callee names a class, by Python's convention: `redis.Redis`, not `redis.from_url`.
bool names_class(std::string_view callee) {
  const std::string_view last = callee.substr(callee.rfind('.') + 1);
  return !last.empty() && last.front() >= 'A' && last.front() <= 'Z';
}

// The schema of targets.python, as this parser reads it (see docs/rule-authoring.md).
ArgumentTest parse_test(const TargetReader &json, std::string_view list) {
  const auto r = json.record({"keyword", "position", "unset", "equals", "names", "string_contains",
                              "first_string_startswith", "dict_key"});
  ArgumentTest c;
  int kinds = 0;
  if (const auto keyword = r.get("keyword")) {
    c.keyword = keyword->string();
    ++kinds;
  }
  if (const auto text = r.get("string_contains")) {
    c.string_contains = text->string();
    ++kinds;
  }
  if (const auto text = r.get("first_string_startswith")) {
    c.first_string_startswith = text->string();
    ++kinds;
  }
  if (const auto keys = r.get("dict_key")) {
    c.dict_keys = keys->strings();
    if (c.dict_keys.empty())
      keys->fail("`dict_key` names no key");
    ++kinds;
  }
  if (kinds != 1)
    json.fail("a condition is one of `keyword`, `string_contains`, `first_string_startswith` "
              "and `dict_key`");
  if (const auto position = r.get("position")) {
    if (c.keyword.empty())
      position->fail("`position` goes with a `keyword` (the same argument passed by position)");
    c.position = static_cast<int>(position->integer());
    if (c.position < 0)
      position->fail("`position` counts from 0");
  }
  if (const auto unset = r.get("unset")) {
    if (c.keyword.empty() || r.has("equals"))
      unset->fail("`unset` goes with a `keyword`, and not with `equals`");
    c.none_unset = false;
    for (const TargetReader &value : unset->items()) {
      const std::string which = value.one_of({"none", "nonpositive"});
      c.none_unset |= which == "none";
      c.nonpositive_unset |= which == "nonpositive";
    }
  }
  if (const auto names = r.get("names")) {
    if (c.keyword.empty() || r.has("equals") || r.has("unset"))
      names->fail("`names` goes with a `keyword`, and not with `equals` or `unset`");
    c.names = names->strings();
    if (c.names.empty())
      names->fail("`names` names nothing");
  }
  if (const auto equals = r.get("equals")) {
    if (c.keyword.empty() || list != "forbid")
      equals->fail("`equals` goes with a `keyword`, in `forbid`");
    if (!equals->json().is_null() && !equals->json().is_number_integer())
      equals->fail("`equals` is null or a whole number");
    c.equals = equals->json();
  }
  return c;
}

std::vector<ArgumentTest> parse_conditions(const TargetReader::Record &entry,
                                           std::string_view key) {
  std::vector<ArgumentTest> conditions;
  if (const auto list = entry.get(key)) {
    for (const TargetReader &c : list->items())
      conditions.push_back(parse_test(c, key));
    if (conditions.empty())
      list->fail(fmt::format("`{}` lists no condition", key));
  }
  return conditions;
}

// An entry of targets.python; `callees` names what it judges.
Entry parse_entry(const TargetReader::Record &r, const TargetReader &json, const Rule &rule) {
  Entry entry;
  entry.require = parse_conditions(r, "require");
  entry.unless = parse_conditions(r, "unless");
  entry.forbid = parse_conditions(r, "forbid");
  if (const auto context = r.get("context")) {
    for (const TargetReader &c : context->items()) {
      const std::string where = c.one_of({"loop", "route_handler"});
      entry.in_loop |= where == "loop";
      entry.in_route_handler |= where == "route_handler";
    }
    if (!entry.in_loop && !entry.in_route_handler)
      context->fail("`context` names no context");
  }
  if (const auto decorators = r.get("route_decorators")) {
    if (!entry.in_route_handler)
      decorators->fail("`route_decorators` goes with `context: [route_handler]`");
    for (const std::string &name : decorators->strings())
      entry.route_decorators.insert(name);
  } else if (entry.in_route_handler) {
    json.fail("`context: [route_handler]` needs `route_decorators`: the names of the decorators "
              "that make a function a web route or view");
  }
  // The engine decides by the first of forbid, context and require an entry has: two would
  // leave one unread.
  const int deciders = !entry.forbid.empty() + r.has("context") + !entry.require.empty();
  if (deciders > 1)
    json.fail("an entry decides by one of `require`, `forbid` and `context`, not several: "
              "write two entries");
  if (const auto decorator = r.get("decorator")) {
    entry.decorator = decorator->boolean();
    if (entry.decorator && (!entry.forbid.empty() || r.has("context")))
      decorator->fail("a bare decorator passes no arguments and runs in no call's context: "
                      "`decorator` goes with `require` or nothing");
  }
  entry.message = r.required("message").string();
  if (const auto severity = r.get("severity"))
    entry.at_most = parse_severity(severity->one_of({"note"}));
  if (const auto fix = r.get("fix")) {
    const auto f = fix->record({"keyword", "position", "option"});
    if (r.has("context"))
      fix->fail("a call made in the wrong place has no keyword to fix it");
    entry.fix = FixSpec{f.required("keyword").string(), -1, f.required("option").string()};
    if (const auto position = f.get("position"))
      entry.fix->position = static_cast<int>(position->integer());
    const RuleOption *option = rule.option(entry.fix->option);
    if (!option) {
      std::vector<std::string> names;
      for (const RuleOption &o : rule.options)
        names.push_back(o.name);
      f.required("option").fail(fmt::format("rule {} has no option `{}`{}", rule.id,
                                            entry.fix->option,
                                            did_you_mean(entry.fix->option, names)));
    }
    if (!option->default_value.is_number() && !option->default_value.is_string())
      f.required("option").fail("a fix's value is a number or a string");
  }
  return entry;
}

class Judge {
public:
  Judge(const Module &module, const Call &call) : module_(module), call_(call) {}

  Truth evaluate(const ArgumentTest &c) const {
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
  std::optional<TSNode> argument(const ArgumentTest &c) const {
    for (const Keyword &k : call_.keywords)
      if (k.name == c.keyword)
        return k.value;
    if (c.position >= 0 && static_cast<size_t>(c.position) < call_.positional.size())
      return call_.positional[c.position];
    return std::nullopt;
  }

  Truth keyword(const ArgumentTest &c) const {
    const auto value = argument(c);
    if (!value)
      return call_.unknown_keywords ? Truth::Unknown : Truth::False;
    if (!c.names.empty()) { // poolclass=StaticPool: what the value's name resolves to
      const auto name = module_.qualify(*value);
      return name && std::find(c.names.begin(), c.names.end(), *name) != c.names.end()
                 ? Truth::True
                 : Truth::False;
    }
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
  for (const ArgumentTest &c : entry.unless)
    if (judge.evaluate(c) != Truth::False)
      return false;
  if (!entry.forbid.empty())
    return std::any_of(entry.forbid.begin(), entry.forbid.end(),
                       [&](const ArgumentTest &c) { return judge.evaluate(c) == Truth::True; });
  if (entry.in_loop || entry.in_route_handler) {
    const auto in_route_handler = [&] {
      if (call.function < 0 || static_cast<size_t>(call.function) >= module.functions().size())
        return false;
      const auto &decorators = module.functions()[call.function].decorators;
      return std::any_of(decorators.begin(), decorators.end(), [&](const std::string &name) {
        return entry.route_decorators.contains(name);
      });
    };
    return (entry.in_loop && call.in_loop) || (entry.in_route_handler && in_route_handler());
  }
  if (!entry.require.empty())
    return std::all_of(entry.require.begin(), entry.require.end(),
                       [&](const ArgumentTest &c) { return judge.evaluate(c) == Truth::False; });
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

using TargetIt = std::unordered_map<std::string, std::vector<size_t>>::const_iterator;

// The targets of a call of a class the module or the scanned tree derives from a targeted class,
// which is built and used as its base is: `AppRedis(...)` is a redis.Redis, and `s.get(u)` on
// `s = AppSession()` is requests.Session().get, unless a class on the way defines one of the
// methods the targets name for the base (its requests go through its own code). `shown` gets the
// name to report: the call's text for a constructor, `AppSession().get` for a method.
TargetIt inherited_target(const Spec &spec, const Module &module, const Call &call,
                          std::string &shown) {
  const std::string_view callee = call.callee;
  const size_t instance = callee.find("().");
  const std::string_view type = callee.substr(0, instance);
  if (!names_class(type))
    return spec.by_callee.end();
  const std::string_view method =
      instance == std::string_view::npos ? std::string_view() : callee.substr(instance + 3);
  if (method.find_first_of(".(") != std::string_view::npos)
    return spec.by_callee.end(); // `X().a().b`: what `a` returns is not known
  std::vector<std::string> defined;
  const auto base = module.built_class(type, &defined);
  if (!base)
    return spec.by_callee.end();
  if (method.empty()) {
    shown = module.text(call.function_node);
    return spec.by_callee.find(*base);
  }
  if (std::any_of(defined.begin(), defined.end(), [&](const std::string &own) {
        return spec.by_callee.contains(fmt::format("{}().{}", *base, own));
      }))
    return spec.by_callee.end();
  shown = fmt::format("{}().{}", type.substr(type.rfind('.') + 1), method);
  return spec.by_callee.find(fmt::format("{}().{}", *base, method));
}

class CallRules final : public PythonCheck {
public:
  using Targets = Spec;
  static Spec parse_targets(const TargetReader &targets, const Rule &rule) {
    Spec spec;
    for (const TargetReader &json : targets.items()) {
      const auto r = json.record({"callees", "require", "unless", "forbid", "context",
                                  "route_decorators", "decorator", "message", "severity", "fix"});
      const TargetReader callees = r.required("callees");
      const std::vector<std::string> names = callees.strings();
      if (names.empty())
        callees.fail("`callees` names no callable");
      for (const std::string &callee : names) {
        spec.by_callee[callee].push_back(spec.entries.size());
        std::string_view word = callee; // `redis` in redis.Redis, `open` in builtins.open
        if (word.starts_with("builtins."))
          word.remove_prefix(9);
        word = word.substr(0, word.find_first_of(".(")); // `Client` in builtins.Client().send
        if (std::find(spec.required_text.begin(), spec.required_text.end(), word) ==
            spec.required_text.end())
          spec.required_text.emplace_back(word);
        // `redis.Redis`, and `requests.Session` of requests.Session().get
        const std::string type = callee.substr(0, callee.find("()."));
        if (names_class(type) && type.find('(') == std::string::npos &&
            std::find(spec.classes.begin(), spec.classes.end(), type) == spec.classes.end())
          spec.classes.push_back(type);
      }
      spec.entries.push_back(parse_entry(r, json, rule));
    }
    return spec;
  }

  const std::vector<std::string> &required_text(const RuleSettings &rule) const override {
    return typed_targets<CallRules>(rule, Language::Python).required_text;
  }

  const std::vector<std::string> &classes(const RuleSettings &rule) const override {
    return typed_targets<CallRules>(rule, Language::Python).classes;
  }

  void check(const Module &module, CheckContext &context) const override {
    const Spec *spec = &context.targets<CallRules>();
    for (const Call &call : module.calls()) {
      auto it = spec->by_callee.find(call.callee);
      std::string inherited; // the name a subclass's call is reported by
      if (it == spec->by_callee.end())
        it = inherited_target(*spec, module, call, inherited);
      if (it == spec->by_callee.end())
        continue;
      for (size_t index : it->second) {
        const Entry &entry = spec->entries[index];
        if (flags(entry, module, call)) {
          const std::string_view callee = !inherited.empty() ? std::string_view(inherited)
                                          : call.callee.starts_with("builtins.")
                                              ? std::string_view(call.callee).substr(9)
                                              : std::string_view(call.callee);
          context.report(module.span(call.report_at), with_callee(entry.message, callee),
                         fix_for(entry, module, call, context), entry.at_most);
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
LEASH_REGISTER_CHECK(PythonCheck, CallRules, "missing-http-timeout");

} // namespace leash::python
