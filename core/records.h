// The field lists of what the result cache stores and shard reports carry (see core/serialize.h):
// each type's fields once, for every archive.
#pragma once

#include "core/analysis.h"
#include "core/scan.h"
#include "core/serialize.h"

namespace leash {

template <class T, class U>
concept Is = std::is_same_v<std::remove_const_t<T>, U>;

template <class A, Is<Position> T> void fields(A &a, T &p) {
  a("line", p.line);
  a("column", p.column);
}

template <class A, Is<Span> T> void fields(A &a, T &s) {
  a("start", s.start);
  a("end", s.end);
}

template <class A, Is<Edit> T> void fields(A &a, T &e) {
  a("range", e.range);
  a("text", e.text);
}

template <class A, Is<Fix> T> void fields(A &a, T &f) {
  a("description", f.description);
  a("edits", f.edits);
}

template <class A, Is<Finding> T> void fields(A &a, T &f) {
  a("rule", f.rule);
  a("severity", f.severity);
  a("path", f.path);
  a("span", f.span);
  a("message", f.message);
  a("fix", f.fix);
  a("at_most", f.at_most);
  a("line_hash", f.line_hash);
  a("suppressed", f.suppressed);
}

template <class A, Is<FileError> T> void fields(A &a, T &e) {
  a("path", e.path);
  a("line", e.line);
  a("column", e.column);
  a("message", e.message);
}

template <class A, Is<Bound> T> void fields(A &a, T &b) {
  a("facts", b.facts);
  a("value", b.value);
}

template <class A, Is<Condition> T> void fields(A &a, T &c) {
  a("needs", c.needs);
  a("refuted_by", c.refuted_by);
  a("also_refuted_by", c.also_refuted_by);
  a("rank", c.rank);
  a("needs_below", c.needs_below);
}

template <class A, Is<ConditionalFinding> T> void fields(A &a, T &c) {
  a("finding", c.finding);
  a("condition", c.condition);
}

template <class A, Is<Dependency> T> void fields(A &a, T &d) {
  a("path", d.path);
  a("content", d.content);
  a("by_stat", d.by_stat);
}

template <class A, Is<FileResult> T> void fields(A &a, T &r) {
  a("findings", r.findings);
  a("errors", r.errors);
  a("notes", r.notes);
  a("conditional", r.conditional);
  a("facts", r.facts);
  a("dependencies", r.dependencies);
  a("analyzed", r.analyzed);
}

template <class A, Is<PendingFinding> T> void fields(A &a, T &p) {
  a("finding", p.finding);
  a("condition", p.condition);
  a("unit", p.unit);
}

template <class A, Is<ScanState> T> void fields(A &a, T &s) {
  a("findings", s.findings);
  a("pending", s.pending);
  a("facts", s.facts);
  a("errors", s.errors);
  a("notes", s.notes);
  a("files", s.files);
  a("analyzed", s.analyzed);
  a("error_files", s.error_files);
  a("internal_failure", s.internal_failure);
  a("shard", s.shard);
  a("shards", s.shards);
  a("scan_digest", s.scan_digest);
}

} // namespace leash
