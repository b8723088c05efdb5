// The YAML front end: documents, positions, merge keys, and the memory-size parsers.
#include "checks/yaml/memory.h"
#include "frontend/yaml/compose.h"
#include "frontend/yaml/document.h"
#include "frontend/yaml/kubernetes.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace leash::yaml {
namespace {

TEST_CASE("Kubernetes quantities are parsed as the API server parses them", "[quantity]") {
  CHECK(parse_memory_quantity("1Gi")->bytes == 1073741824.0);
  CHECK(parse_memory_quantity("500M")->bytes == 500e6);
  CHECK(parse_memory_quantity("1.5Gi")->bytes == 1.5 * 1073741824.0);
  CHECK(parse_memory_quantity("1e9")->bytes == 1e9);
  CHECK(parse_memory_quantity("134217728")->bytes == 134217728.0);
  CHECK(parse_memory_quantity(".5Ki")->bytes == 512.0);
  CHECK(parse_memory_quantity("512m")->suffix == "m");
  CHECK(parse_memory_quantity("-1Gi")->bytes < 0);
  const std::string huge = "1" + std::string(400, '0');
  CHECK(parse_memory_quantity(huge)->bytes > 1e300); // absurd, not an exception
  CHECK(parse_memory_quantity("0." + std::string(400, '0') + "1")->bytes == 0);
  CHECK(parse_memory_quantity("0e9999")->bytes == 0);
  CHECK(*parse_docker_bytes(huge) > 1e300);
  for (const char *invalid : {"2GB", "512 Mi", "1KB", "Gi", "", "1.2.3Mi", "1gi", "1e", "1Mi "})
    CHECK_FALSE(parse_memory_quantity(invalid));
}

TEST_CASE("Docker memory sizes are parsed as go-units RAMInBytes does", "[quantity]") {
  CHECK(*parse_docker_bytes("512m") == 512.0 * 1024 * 1024);
  CHECK(*parse_docker_bytes("2GB") == 2.0 * 1024 * 1024 * 1024);
  CHECK(*parse_docker_bytes("256 MiB") == 256.0 * 1024 * 1024);
  CHECK(*parse_docker_bytes("1.5g") == 1.5 * 1024 * 1024 * 1024);
  CHECK(*parse_docker_bytes("100b") == 100.0);
  CHECK(*parse_docker_bytes("1073741824") == 1073741824.0);
  for (const char *invalid : {"1Gi", "1 gigabyte", "2 G B", "-1g", "g", "", "1bb", "1.2.3m"})
    CHECK_FALSE(parse_docker_bytes(invalid));
}

TEST_CASE("a token end is found for keys and plain and quoted scalars and flow", "[yaml]") {
  CHECK(token_end("  web:", 2) == 5);
  CHECK(token_end("  memory: 512 Mi # note", 10) == 16);
  CHECK(token_end(R"(  "a \" b": x)", 2) == 10);
  CHECK(token_end("  'it''s': x", 2) == 9);
  CHECK(token_end("  limits: {memory: 1Gi}", 10) == 23);
  CHECK(token_end("  x: [a, b]", 6) == 7);
  CHECK(token_end("  script: |", 10) == 11);
}

TEST_CASE("multi-document files keep file line numbers and survive a broken document", "[yaml]") {
  const SourceFile source("k.yaml", "a: 1\n"
                                    "---\n"
                                    "b: [unclosed\n"
                                    "---\n"
                                    "# comment\n"
                                    "\n"
                                    "c:\n"
                                    "  d: 2\n");
  const ParsedFile parsed = parse_documents(source);
  REQUIRE(parsed.documents.size() == 2);
  REQUIRE(parsed.errors.size() == 1);
  CHECK(parsed.errors[0].line == 4); // yaml-cpp notices the missing ] at the next document marker
  const auto d = find_path(parsed.documents[1].root(), {"c", "d"});
  REQUIRE(d);
  const Span span = parsed.documents[1].span(d->key);
  CHECK(span.start == Position{8, 3});
  CHECK(span.end == Position{8, 4});
}

TEST_CASE("a directive section belongs with the document after it", "[yaml]") {
  const SourceFile source("k.yaml", "%YAML 1.2\n---\na: 1\n");
  const ParsedFile parsed = parse_documents(source);
  CHECK(parsed.errors.empty());
  REQUIRE(parsed.documents.size() == 1);
}

TEST_CASE("columns count characters after a byte order mark and with CRLF", "[yaml]") {
  const SourceFile source("c.yaml", "\xEF\xBB\xBFservices:\r\n  \"ünï\": {x: 1}\r\n");
  const ParsedFile parsed = parse_documents(source);
  REQUIRE(parsed.errors.empty());
  const auto services = find(parsed.documents[0].root(), "services");
  const auto entry = entries(services->value);
  REQUIRE(entry.size() == 1);
  const Span key = parsed.documents[0].span(entry[0].key);
  CHECK(key.start == Position{2, 3});
  CHECK(key.end == Position{2, 8}); // "ünï" with its quotes is 5 characters (7 bytes)
  const Span value = parsed.documents[0].span(entry[0].value);
  CHECK(value.start == Position{2, 10});
  CHECK(value.end == Position{2, 16});
}

TEST_CASE("merge keys resolve as Compose resolves them", "[yaml]") {
  const SourceFile source("m.yaml", "a: &a {x: 1, y: 1}\n"
                                    "b: &b {y: 2, z: 2}\n"
                                    "own: {<<: *a, x: 0}\n"
                                    "list: {<<: [*b, *a]}\n"
                                    "loop: &loop {<<: *a}\n");
  const ParsedFile parsed = parse_documents(source);
  REQUIRE(parsed.errors.empty());
  const YAML::Node &root = parsed.documents[0].root();
  CHECK(find_path(root, {"own", "x"})->value.Scalar() == "0"); // own keys win
  CHECK(find_path(root, {"own", "y"})->value.Scalar() == "1");
  CHECK(find_path(root, {"list", "y"})->value.Scalar() == "2"); // earlier sources win
  CHECK(find_path(root, {"list", "x"})->value.Scalar() == "1");
  CHECK_FALSE(find_path(root, {"own", "<<"}));
  CHECK(entries(find(root, "list")->value).size() == 3);
  // Lookups never change the document (yaml-cpp's Node::operator= would).
  CHECK(find_path(root, {"a", "x"})->value.Scalar() == "1");
}

TEST_CASE("deeply nested and alias-heavy input is bounded", "[yaml]") {
  const SourceFile deep("d.yaml", std::string(5000, '['));
  CHECK(parse_documents(deep).errors.size() == 1);
  // Each mapping merges the previous one nine times: 9^25 paths to explore, in a 2 KB file.
  std::string laughs = "a: &a {x: 1}\n";
  for (char c = 'b'; c <= 'z'; ++c) {
    const char p = static_cast<char>(c - 1);
    laughs += fmt::format(
        "{0}: &{0} {{<<: [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]}}\n", c, p);
  }
  laughs += "services: {web: {<<: *z}}\n";
  const SourceFile bomb("docker-compose.yml", laughs);
  const ParsedFile parsed = parse_documents(bomb);
  REQUIRE(parsed.documents.size() == 1);
  const auto compose = ComposeFile::from(parsed.documents[0], true);
  REQUIRE(compose);
  CHECK(compose->find(compose->services()[0], {"mem_limit"}).entry == std::nullopt);
}

TEST_CASE("documents yaml-cpp never finishes are errors at their comma, not a hang", "[yaml]") {
  // yaml-cpp 0.7 allocates nodes without end on a `,` where a block node belongs (found by the
  // mutation fuzz; each of these took all memory before).
  for (const char *text : {",x\n", "services:\n  web: {}\n---\n  ,\"x\n", "- a\n,x\n", "[a]\n,x\n",
                           "%YAML 1.2\n---\n,x\n"}) {
    INFO(text);
    const ParsedFile parsed = parse_documents(SourceFile("c.yaml", text));
    REQUIRE_FALSE(parsed.errors.empty());
    CHECK(parsed.errors.back().message.find("a `,` where a block node belongs") !=
          std::string::npos);
  }
  // Commas that start lines where YAML allows them are read as usual.
  const ParsedFile fine =
      parse_documents(SourceFile("c.yaml", "data:\n  csv: |\n    a,b\n    ,c\nlist: [a\n  , b]\n"));
  CHECK(fine.errors.empty());
  REQUIRE(fine.documents.size() == 1);
}

TEST_CASE("documents of a kind no check reads are known from their text and not parsed", "[yaml]") {
  CHECK(top_level_kind("apiVersion: v1\nkind: ConfigMap # settings\ndata: {}\n") == "ConfigMap");
  CHECK(top_level_kind("kind: \"Secret\"\r\n") == "Secret");
  CHECK(top_level_kind("metadata:\n  kind: ConfigMap\n") == std::nullopt); // not top-level
  CHECK(top_level_kind("kind: A\nkind: B\n") == std::nullopt);
  CHECK(top_level_kind("{kind: ConfigMap}\n") == std::nullopt);
  // A broken ConfigMap is neither parsed nor reported; the Deployment beside it is read.
  const SourceFile source("k.yaml",
                          "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [unclosed\n---\n"
                          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");
  const ParsedFile parsed = parse_documents(source, holds_no_containers);
  CHECK(parsed.errors.empty());
  CHECK(parsed.skipped == 1);
  REQUIRE(parsed.documents.size() == 1);
  CHECK(parsed.documents[0].root()["kind"].Scalar() == "Deployment");
  CHECK_FALSE(holds_no_containers("LimitRange"));
  CHECK_FALSE(holds_no_containers("Rollout")); // a custom kind may hold a pod template
  // Without the predicate (or for a kind that may hold containers) the document is parsed.
  CHECK(parse_documents(source).errors.size() == 1);
}

TEST_CASE("a compose file of 100,000 services is read whole", "[compose]") {
  std::string text = "services:\n";
  for (int i = 0; i < 100000; ++i)
    text += fmt::format("  s{}:\n    image: nginx\n", i);
  const SourceFile source("docker-compose.yml", text);
  const ParsedFile parsed = parse_documents(source);
  REQUIRE(parsed.documents.size() == 1);
  const auto compose = ComposeFile::from(parsed.documents[0], true);
  REQUIRE(compose);
  CHECK(compose->services().size() == 100000);
  CHECK(compose->services().back().name == "s99999");
}

TEST_CASE("compose extends is followed within the file and cycles end", "[compose]") {
  const SourceFile source("docker-compose.yml", "services:\n"
                                                "  base: {mem_limit: 1g}\n"
                                                "  child: {extends: base}\n"
                                                "  grandchild: {extends: {service: child}}\n"
                                                "  a: {extends: b}\n"
                                                "  b: {extends: a}\n"
                                                "  remote: {extends: {file: x.yml, service: y}}\n");
  const ParsedFile parsed = parse_documents(source);
  const auto compose = ComposeFile::from(parsed.documents[0], true);
  REQUIRE(compose);
  const auto &services = compose->services();
  REQUIRE(services.size() == 6);
  CHECK(compose->find(services[2], {"mem_limit"}).entry);
  CHECK_FALSE(compose->find(services[3], {"mem_limit"}).entry);
  CHECK_FALSE(compose->find(services[3], {"mem_limit"}).unknown);
  CHECK(compose->find(services[5], {"mem_limit"}).unknown);
}

TEST_CASE("Kubernetes workloads are found in every kind and in Lists", "[kubernetes]") {
  const SourceFile source("k.yaml",
                          "apiVersion: v1\n"
                          "kind: List\n"
                          "items:\n"
                          "- apiVersion: v1\n"
                          "  kind: Pod\n"
                          "  metadata: {name: p}\n"
                          "  spec: {containers: [{name: a}], initContainers: [{name: i}]}\n"
                          "- apiVersion: v1\n"
                          "  kind: ConfigMap\n"
                          "  data: {}\n");
  const ParsedFile parsed = parse_documents(source);
  const auto workloads = kube_workloads(parsed.documents[0].root());
  REQUIRE(workloads.size() == 1);
  CHECK(workloads[0].kind == "Pod");
  // A List that names itself ten times at each of many levels stops expanding.
  std::string bomb = "a: &a {apiVersion: v1, kind: Pod, spec: {containers: [{name: x}]}}\n";
  for (char c = 'b'; c <= 'j'; ++c)
    bomb += fmt::format("{0}: &{0} {{apiVersion: v1, kind: List, items: [{1}]}}\n", c,
                        fmt::format("*{0}, *{0}, *{0}, *{0}, *{0}, *{0}, *{0}, *{0}, *{0}, *{0}",
                                    static_cast<char>(c - 1)));
  const SourceFile bomb_source("b.yaml", bomb);
  const ParsedFile bombed = parse_documents(bomb_source);
  REQUIRE(bombed.documents.size() == 1);
  CHECK(kube_workloads(find(bombed.documents[0].root(), "j")->value).size() <= 10000);
  CHECK(workloads[0].name == "p");
  REQUIRE(workloads[0].containers.size() == 2);
  CHECK(workloads[0].containers[0].init);
  CHECK(workloads[0].containers[1].display_name() == "a");
}

TEST_CASE("a Go template action is told from braces in strings, comments and block scalars",
          "[yaml]") {
  // Where a node starts: a value, a line of its own, a sequence entry, a flow item.
  CHECK(first_template_line("a: 1\nname: {{ include \"x\" . }}\n") == 2);
  CHECK(first_template_line("a:\n  {{- toYaml .Values.r | nindent 2 }}\n") == 2);
  CHECK(first_template_line("- {{ .Values.x }}\n") == 1);
  CHECK(first_template_line("a: [b, {{ c }}]\n") == 1);
  CHECK(first_template_line("replicas: &r {{replicas}}\n") == 1);
  // Not templates: braces inside a scalar YAML reads as it is (judged as written), quoted
  // strings (with escapes, anchors, over several lines), comments.
  CHECK(first_template_line("name: etcd-{{cell}}\ntag: app/{{.Name}}\n") == 0);
  CHECK(first_template_line("test: [\"CMD\", \"docker\", \"inspect\", \"--format\", "
                            "'{{json .State.Health}}']\n") == 0);
  CHECK(first_template_line("test: &hc \"docker inspect --format '{{json .State}}'\"\n") == 0);
  CHECK(first_template_line("command: \"echo '{{x}}'\"\n# {{ a comment }}\na: 1\t# {{ b }}\n") ==
        0);
  CHECK(first_template_line("a: \"first\n  {{ inside the string }}\"\nb: 1\n") == 0);
  CHECK(first_template_line("a: 'it''s {{ x }}'\n") == 0);
  CHECK(first_template_line("a: \"x\\\\\"\nb: {{ y }}\n") == 2); // `\\` does not escape the quote
  CHECK(first_template_line("it: isn't\n{{- if x }}\n") == 2);
  // Block scalars: their text is not YAML; they end at the first line no deeper than their key.
  CHECK(first_template_line("data:\n  alert.tmpl: |\n    {{ define \"x\" }}\n\n    {{ end }}\n"
                            "b: 1\n") == 0);
  CHECK(first_template_line("data:\n  t: >-\n    {{ x }}\nc: {{ y }}\n") == 4);
  CHECK(first_template_line(
            "    - command: |\n        echo {{ a }}\n      image: {{ .Values.i }}\n") == 3);
  CHECK(first_template_line("expr: a >\n  b\n{{ x }}\n") == 3); // `>` inside a plain scalar
}

TEST_CASE("a templated document is not parsed, and the others of its file are", "[yaml]") {
  const SourceFile source("t.yaml", "kind: Pod\n"
                                    "metadata: {name: a}\n"
                                    "---\n"
                                    "kind: ConfigMap\n"
                                    "data: {{ .Values.data }}\n"
                                    "---\n"
                                    "kind: Deployment\n"
                                    "spec:\n"
                                    "  {{- if .Values.x }}\n");
  const ParsedFile parsed = parse_documents(source, holds_no_containers);
  CHECK(parsed.errors.empty());
  CHECK(parsed.documents.size() == 1);
  CHECK(parsed.skipped == 1);                     // the ConfigMap: no check reads it
  CHECK(parsed.templates == std::vector<int>{9}); // the Deployment, at its first action
}

} // namespace
} // namespace leash::yaml
