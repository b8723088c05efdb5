// YAML documents as leash reads them: parsed one `---` section at a time (a broken document costs
// only itself), with spans in file coordinates, and lookups that resolve merge keys (`<<: *base`)
// the way Docker Compose and Kubernetes tools do.
#pragma once

#include "core/finding.h"
#include "core/source_file.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::yaml {

// A key and its value. yaml-cpp's Node::operator= writes through to the node it refers to (it
// would edit the document); Entry's assignment rebinds instead, so entries can be reassigned.
struct Entry {
  YAML::Node key;
  YAML::Node value;

  Entry(YAML::Node k, YAML::Node v) : key(std::move(k)), value(std::move(v)) {}
  Entry(const Entry &) = default;
  Entry &operator=(const Entry &other) {
    key.reset(other.key);
    value.reset(other.value);
    return *this;
  }
};

// Where the YAML of one line of a rendered template was written: a key of a Helm chart's values
// file, whose own line is the one to edit.
struct LineOrigin {
  int line = 0;     // 1-based, in the template
  std::string path; // the values file (display path)
  Span span;        // of its key there
  std::string key;  // "resources", "worker.resources"
};

class Document {
public:
  Document(const SourceFile &source, YAML::Node root, int line_offset)
      : source_(&source), root_(std::move(root)), line_offset_(line_offset) {}

  Document(const Document &) = default;
  Document &operator=(const Document &) = delete; // see Entry

  const SourceFile &source() const { return *source_; }
  const YAML::Node &root() const { return root_; }
  // The span of the token that starts `node` (a key, a scalar, a `{`/`[`, or a map's first key).
  Span span(const YAML::Node &node) const;
  // Where the line that starts `node` was written, when it was rendered from elsewhere.
  const LineOrigin *origin_of(const YAML::Node &node) const;
  void set_origins(const std::vector<LineOrigin> *origins) { origins_ = origins; }

private:
  const SourceFile *source_;
  YAML::Node root_;
  int line_offset_; // the file line (0-based) where this document's text starts
  const std::vector<LineOrigin> *origins_ = nullptr;
};

struct ParseError {
  int line = 0; // 1-based
  int column = 0;
  std::string message;
};

struct ParsedFile {
  std::vector<Document> documents; // non-empty documents only
  std::vector<ParseError> errors;
  int skipped = 0; // documents known from their text to be of a kind nothing reads (see below)
  std::vector<int> templates; // documents that are Go templates: the line of each one's first
                              // action (see first_template_line); not parsed
};

// `skip_kind`: the kinds of Kubernetes object no check reads (a ConfigMap, often the largest
// document of a repository). A document whose top-level `kind:` line names one is not parsed at
// all, and not reported when it is broken. Nor is a document that is a Go template (`templates`).
// `unrendered`: lines (1-based, ascending) a Helm template left as written: a document holding
// one is taken for a template too (unless of a kind skipped).
ParsedFile parse_documents(const SourceFile &source,
                           bool (*skip_kind)(std::string_view kind) = nullptr,
                           const std::vector<int> *unrendered = nullptr);

// The first line (1-based) of `text` where a Go template action (`{{ ... }}`, as Helm charts and
// other templated manifests write them) stands where YAML expects a value or a line of its own:
// not in a quoted string (a compose healthcheck's `--format '{{json .State}}'`), a comment, or a
// block scalar (an alerting template in a ConfigMap); 0 when none does.
int first_template_line(std::string_view text);

// The value of the document's one top-level block `kind:` line (`kind: ConfigMap`), if it has one.
std::optional<std::string_view> top_level_kind(std::string_view document);

// Merge-aware lookup of `key` in a mapping: its own keys first, then `<<` sources in order.
std::optional<Entry> find(const YAML::Node &map, std::string_view key);
// Follows `path` through nested mappings, each step merge-aware.
std::optional<Entry> find_path(const YAML::Node &map, const std::vector<std::string> &path);
// The mapping's entries with merged ones that are not overridden; `<<` itself is left out.
std::vector<Entry> entries(const YAML::Node &map);

// The scalar's text, or nullopt for anything that is not a scalar.
std::optional<std::string> scalar(const YAML::Node &node);
// Splits "a.b.c" into {"a", "b", "c"}.
std::vector<std::string> split_path(std::string_view dotted);

// The byte where the token starting at `byte_column` ends (exclusive), for a quoted or plain
// scalar, a key, or a flow collection on one line.
size_t token_end(std::string_view line, size_t byte_column);

} // namespace leash::yaml
