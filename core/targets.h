// A rule's targets (per-language data its checks run on), kept with where each value was written,
// and the strict reader every engine parses them with. The parser is the schema: it names each
// key it accepts and its type, so a typo (`requires:`), a wrong type, a missing key or an unknown
// value is an error naming the file, line and column and the closest valid name, at build time
// for rules/*.yaml (the catalog check runs on every build) and when a `.leash.yaml` extends a
// rule's targets, never a silent change in what is reported.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace leash {

// A mistake in rule data (rules/*.yaml, or a config's extension of them).
class CatalogError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct SourceMark {
  std::string file;
  int line = 0; // 1-based; 0 when unknown
  int column = 0;
  bool operator==(const SourceMark &) const = default;
};

// One language's targets and where each of their values was written, by JSON pointer.
struct TargetData {
  nlohmann::json value;
  std::map<std::string, SourceMark> marks;
};

// Converts `node` (from `file`) as yaml_to_json does, recording marks under `pointer`.
nlohmann::json yaml_to_json_marked(const YAML::Node &node, const std::string &file,
                                   const std::string &pointer,
                                   std::map<std::string, SourceMark> &marks);

// `extension`'s entries added to `base`, for a `.leash.yaml` that extends a rule's targets: a list
// gets the extension's items first (they are matched first); a mapping gets, key by key, the
// extension's list items added to its own. The marks follow their values. Throws CatalogError at
// the extension's mark when it has a shape that cannot extend `base`.
TargetData extend_targets(const TargetData &base, const TargetData &extension);

class TargetRecord;

class TargetReader {
public:
  using Record = TargetRecord;
  explicit TargetReader(const TargetData &data) : data_(data), value_(data.value) {}

  // Fails with a message at this value's mark: CatalogError("file:line:col: message").
  [[noreturn]] void fail(const std::string &message) const;

  const nlohmann::json &json() const { return value_; }
  bool is_list() const { return value_.is_array(); }
  bool is_map() const { return value_.is_object(); }
  bool is_string() const { return value_.is_string(); }

  std::string string() const;
  // A string that is one of `allowed`.
  std::string one_of(std::initializer_list<std::string_view> allowed) const;
  bool boolean() const;
  long long integer() const;
  std::vector<std::string> strings() const;
  // A list of words: lower-case letters and digits (`setup`, `id`).
  std::set<std::string, std::less<>> words() const;
  std::vector<TargetReader> items() const; // a list's
  // A mapping's entries by key, in order (for mappings whose keys are data: names of things).
  std::vector<std::pair<std::string, TargetReader>> entries() const;
  // A mapping with these keys and no other (a typo names the closest).
  TargetRecord record(std::initializer_list<std::string_view> keys) const;

private:
  friend class TargetRecord;
  TargetReader(const TargetData &data, const nlohmann::json &value, std::string pointer)
      : data_(data), value_(value), pointer_(std::move(pointer)) {}
  TargetReader child(const std::string &key) const;
  TargetReader item(size_t index) const;
  SourceMark mark() const;

  const TargetData &data_;
  const nlohmann::json &value_;
  std::string pointer_;
};

// A mapping read with TargetReader::record: its keys, each of a known name.
class TargetRecord {
public:
  std::optional<TargetReader> get(std::string_view key) const;
  TargetReader required(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  const TargetReader &reader() const { return owner_; }

private:
  friend class TargetReader;
  explicit TargetRecord(const TargetReader &owner) : owner_(owner) {}
  TargetReader owner_;
};

} // namespace leash
