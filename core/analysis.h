// How front ends and checks plug in. A front end reads one file of its language and runs that
// language's checks on it; checks and front ends register themselves (no central list to edit).
#pragma once

#include "core/deadline.h"
#include "core/discovery.h"
#include "core/finding.h"
#include "core/hash.h"
#include "core/language.h"
#include "core/settings.h"
#include "core/source_file.h"
#include "core/targets.h"
#include "core/workspace.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leash {

class Cache;

// When a finding whose evidence is spread over several files (a C++ class declared in a header
// and defined in several units) stands: every fact in `needs` was provided by some file of the
// scan, and neither `refuted_by` nor any of `also_refuted_by` by any. Facts are strings, private
// to the rule. Several files may report the same subject (the same `refuted_by`): the lowest
// `rank` is kept, then the first file's.
struct Bound {
  std::vector<std::string> facts;
  uint64_t value = 0;
};
struct Condition {
  std::vector<std::string> needs;
  std::string refuted_by;
  int rank = 0;
  std::vector<std::string> also_refuted_by;
  // Also needed, when set: a number below `value` given to one of its `facts` (a LimitRange's
  // largest memory limit in a namespace, below a container's limit there; see provide_number).
  std::optional<Bound> needs_below;
};

// Separates a fact from the fact it depends on in FileResult::facts.
inline constexpr char kFactIf = '\x1f';
// Separates a fact from the number it is given in FileResult::facts.
inline constexpr char kFactNumber = '\x1e';

struct ConditionalFinding {
  Finding finding;
  Condition condition;
};

// A file that an analysis read besides the analyzed one (a header a C++ unit includes): the
// cache's entry for the analyzed file holds only while the dependency is the same.
struct Dependency {
  std::string path; // absolute
  Digest content;   // of the text the analysis read; by_stat: of its size and time (the scan's)
  bool by_stat = false;
};

// An installed file (under /usr or /opt): changed by package upgrades only, and told apart by its
// size and modification time rather than read.
bool installed_file(std::string_view path);

// Everything one file produced.
struct FileResult {
  std::vector<Finding> findings; // in the file, or in files it reached (C++ headers)
  std::vector<FileError> errors;
  std::vector<FileError> notes; // not errors: what leash changed to analyze the file safely
  std::vector<ConditionalFinding> conditional;
  std::vector<std::string> facts; // a fact, or `fact` kFactIf `given` (see provide_if)
  std::vector<Dependency> dependencies;
  bool analyzed = false; // false when the front end found nothing in the file to check
  bool cacheable = true; // false when the result may change with no input changing (clang
                         // could not read the whole unit)
};

// What a front end learns from every file of the scan before any file is analyzed: facts no one
// file holds that decide which of a file's code a check can judge (Python: the classes the tree
// derives from a client class a check looks for, which a module that imports one builds).
class TreeIndex {
public:
  virtual ~TreeIndex() = default;
  // What of the index may decide a file's result (for the cache's key): a digest of all of it,
  // since the files an index changes cannot be told without reading them.
  virtual const std::string &key() const = 0;
};

// What every file of a run shares, from the command line.
struct RunContext {
  const Workspace &workspace;
  // What was scanned (absolute, symlinks resolved): findings in the files a C++ unit includes
  // are reported only there.
  std::vector<std::filesystem::path> roots;
  // -p: the folder with compile_commands.json for every C++ unit (else each unit's nearest).
  std::optional<std::filesystem::path> compile_commands;
  // Each front end's index of the scan (Frontend::index), set by the scan.
  std::map<Language, std::shared_ptr<const TreeIndex>> indexes;

  template <class Index> const Index *index(Language language) const {
    const auto it = indexes.find(language);
    return it == indexes.end() ? nullptr : static_cast<const Index *>(it->second.get());
  }
};

// What a check sees of the run: its rule's settings, the file, and where to report.
class CheckContext {
public:
  CheckContext(const SourceFile &source, const RuleSettings &rule, Language language,
               FileResult &result)
      : source_(source), rule_(rule), language_(language), result_(result) {}

  const SourceFile &source() const { return source_; }
  const RuleSettings &rule() const { return rule_; }
  const nlohmann::json &option(std::string_view name) const;
  std::vector<std::string> string_list_option(std::string_view name) const;
  // Whether `path` (display form) matches a gitignore-like pattern of a string-list option (a
  // pattern without `/` matches any component; see core/glob.h).
  bool path_matches_option(std::string_view name, std::string_view path) const;
  // The rule's targets for this language (rules/<id>.yaml, as the config extends them), as
  // `Check` parses them (see typed_targets).
  template <class Check> const typename Check::Targets &targets() const;

  void report(const Span &span, std::string message, std::optional<Fix> fix = std::nullopt,
              std::optional<Severity> at_most = std::nullopt);
  // A finding in another file than the one analyzed (a C++ header reached through this unit).
  void report_in(std::string path, const Span &span, std::string message);
  // A finding the whole scan decides on (see ConditionalFinding), and a fact for it.
  void report_if(std::string path, const Span &span, std::string message, Condition condition,
                 std::optional<Fix> fix = std::nullopt);
  void provide(const std::string &fact);
  // A number for `fact`, which a finding's Condition::needs_below compares with.
  void provide_number(const std::string &fact, uint64_t value);
  // `fact` holds if `given` does (a class held by another is long-lived if its holder is).
  void provide_if(const std::string &fact, const std::string &given);

private:
  Finding make_finding(std::string path, const Span &span, std::string message) const;
  std::string fact(const std::string &name) const; // facts of different rules never meet

  const SourceFile &source_;
  const RuleSettings &rule_;
  Language language_;
  FileResult &result_;
};

class Frontend {
public:
  virtual ~Frontend() = default;
  virtual Language language() const = 0;
  // Parses `source` and runs the enabled checks of its language. Parse failures go to
  // result.errors; whatever the parser recovered is still checked.
  virtual void analyze(const SourceFile &source, const Settings &settings, const RunContext &run,
                       FileResult &result) const = 0;
  // What decides the file's result besides its text, display path and settings (for the result
  // cache): for C++, the compile command and the scanned roots.
  virtual std::string cache_inputs(const InputFile & /*file*/, const RunContext & /*run*/) const {
    return {};
  }
  // Reads what analyze() needs from the whole scan, from every file of the front end's language
  // (every shard's, so that shards judge alike), keeping what it may in `cache` (null: none);
  // null when nothing. Never throws for a file it cannot read or parse: analyze() reports that.
  virtual std::shared_ptr<const TreeIndex> index(const std::vector<const InputFile *> & /*files*/,
                                                 int /*jobs*/, Cache * /*cache*/) const {
    return nullptr;
  }
};

const Frontend *frontend_for(Language language);

// Every (rule, language) pair that has a check, for `leash rules` and the meta-tests, with the
// check's parser of its targets (which is their schema).
struct CheckInfo {
  std::string_view rule;
  Language language;
  void (*validate)(const Rule &rule, const TargetData &targets);
};
// Every check registered (the C/C++ module loaded first), for the meta-tests: each rule's checks
// are the languages its `targets` name (Rule::languages, which reports use).
const std::vector<CheckInfo> &registered_checks();

// A language's checks, as instances of its check base class (which names `kLanguage`).
template <class Base> struct CheckList {
  struct Item {
    std::string_view rule;
    const Base *check;
  };
  static std::vector<Item> &items() {
    static std::vector<Item> list;
    return list;
  }
};

// Parses `targets` with the check of (rule, language), throwing CatalogError at the first mistake
// (the C/C++ module is loaded for C/C++ targets).
void validate_targets(const Rule &rule, Language language, const TargetData &targets);

// Validates every rule's targets with its checks (loading every module); returns how many checks
// were run. Throws CatalogError at the first mistake, and for a language with no check.
size_t validate_catalog(const Catalog &catalog);

// A check's typed targets: `Check::parse_targets(reader, rule)`, once per RuleSettings.
template <class Check>
const typename Check::Targets &typed_targets(const RuleSettings &rule, Language language) {
  return rule.parsed->get<typename Check::Targets>(language, [&] {
    return Check::parse_targets(TargetReader(rule.targets.at(language)), *rule.rule);
  });
}

template <class Check> const typename Check::Targets &CheckContext::targets() const {
  return typed_targets<Check>(rule_, language_);
}

namespace detail {
void register_check_info(const CheckInfo &info);
void register_frontend(const Frontend *frontend);
// A front end whose checks live in a module loaded on demand (C/C++): `load` brings them in before
// registered_checks() answers.
void register_loader(void (*load)());
} // namespace detail

// A check declares `Targets` and `static Targets parse_targets(const TargetReader &, const Rule
// &)`: its rule's targets are parsed with it (and validated by it: the catalog check of every
// build, a config's extension) and nowhere else.
template <class Base, class Check> struct RegisterCheck {
  explicit RegisterCheck(std::string_view rule) {
    static const Check instance;
    CheckList<Base>::items().push_back({rule, &instance});
    detail::register_check_info({rule, Base::kLanguage, [](const Rule &r, const TargetData &data) {
                                   (void)Check::parse_targets(TargetReader(data), r);
                                 }});
  }
};

template <class Type> struct RegisterFrontend {
  RegisterFrontend() {
    static const Type instance;
    detail::register_frontend(&instance);
  }
};

// Whether any check of `Base`'s language is enabled (else a front end need not even parse).
template <class Base> bool any_check_enabled(const Settings &settings) {
  for (const auto &item : CheckList<Base>::items())
    if (settings.enabled(item.rule, Base::kLanguage))
      return true;
  return false;
}

// What a file must name, one of them at least, for an enabled check of `Base`'s language to find
// anything in it: each enabled check's `words(check, rule)`. nullopt when one of them may find
// something in any file (it names none).
template <class Base, class Words>
std::optional<std::vector<std::string>> required_words(const Settings &settings, Words &&words) {
  std::vector<std::string> all;
  for (const auto &item : CheckList<Base>::items()) {
    if (const RuleSettings *rule = settings.enabled(item.rule, Base::kLanguage)) {
      const auto &required = words(*item.check, *rule);
      if (required.empty())
        return std::nullopt;
      all.insert(all.end(), required.begin(), required.end());
    }
  }
  return all;
}

// Runs `fn(check, context)` for each enabled check of `Base`'s language.
template <class Base, class Fn>
void for_each_enabled_check(const SourceFile &source, const Settings &settings, FileResult &result,
                            Fn &&fn) {
  for (const auto &item : CheckList<Base>::items()) {
    if (const RuleSettings *rule = settings.enabled(item.rule, Base::kLanguage)) {
      check_deadline();
      CheckContext context(source, *rule, Base::kLanguage, result);
      fn(*item.check, context);
    }
  }
}

} // namespace leash

// One type may serve several rules (a data-driven engine): registrations are named by line.
#define LEASH_CONCAT_INNER(a, b) a##b
#define LEASH_CONCAT(a, b) LEASH_CONCAT_INNER(a, b)
#define LEASH_REGISTER_CHECK(Base, Type, rule_id)                                                  \
  static const ::leash::RegisterCheck<Base, Type> LEASH_CONCAT(leash_check_registration_,          \
                                                               __LINE__) {                         \
    rule_id                                                                                        \
  }
#define LEASH_REGISTER_FRONTEND(Type)                                                              \
  static const ::leash::RegisterFrontend<Type> leash_frontend_registration_##Type {}
