#include "frontend/yaml/kustomize.h"

#include "core/deadline.h"
#include "core/hash.h"
#include "core/read_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

namespace leash::yaml {

namespace fs = std::filesystem;

namespace {

constexpr int kDepthLimit = 16;  // kustomizations including kustomizations
constexpr int kFileLimit = 2000; // files one build reads

const char *const kKustomizationNames[] = {"kustomization.yaml", "kustomization.yml",
                                           "Kustomization"};

// A file read for the build, kept alive while its documents are in use.
struct ReadYaml {
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
};

// A workload of the build, and where its containers are.
struct Object {
  std::string kind, name;
  std::vector<size_t> containers; // into Output::containers
};

struct Output {
  std::vector<Object> objects;
  std::vector<BuiltContainer> containers;
  std::vector<KubeLimitRange> limit_ranges;
};

// `folder / relative`, normalized, without a trailing separator.
fs::path joined(const fs::path &folder, std::string_view relative) {
  fs::path path = (folder / relative).lexically_normal();
  if (!path.empty() && !path.has_filename())
    path = path.parent_path();
  return path.empty() ? fs::path(".") : path;
}

std::optional<std::string> text_at(const YAML::Node &map, std::string_view key) {
  const auto entry = find(map, key);
  return entry ? scalar(entry->value) : std::nullopt;
}

std::vector<std::string> strings_at(const YAML::Node &map, std::string_view key) {
  std::vector<std::string> out;
  if (const auto entry = find(map, key); entry && entry->value.IsSequence())
    for (const auto &item : entry->value)
      if (item.IsScalar())
        out.push_back(item.Scalar());
  return out;
}

std::optional<YAML::Node> memory_limit_of(const YAML::Node &container) {
  const auto entry = find_path(container, {"resources", "limits", "memory"});
  if (!entry)
    return std::nullopt;
  return entry->value;
}

class Builder {
public:
  Builder(std::size_t max_bytes, KustomizeBuild &build) : max_bytes_(max_bytes), build_(build) {}

  // The kustomization in `folder` (its file `file`, already parsed when `root` is given).
  void build(const fs::path &folder, const YAML::Node &root, Output &out, int depth);

private:
  std::optional<fs::path> kustomization_in(const fs::path &folder) const;
  const ReadYaml *read(const fs::path &path);
  void add_file(const fs::path &path, Output &out);
  void add_folder(const fs::path &folder, Output &out, int depth, bool component);
  void strategic_merge(const YAML::Node &patch, const ReadYaml *file, const YAML::Node &target,
                       Output &out);
  void json6902(const YAML::Node &operations, const YAML::Node &target, Output &out);
  void patch_text(const fs::path &folder, const YAML::Node &entry, const YAML::Node &target,
                  bool json, Output &out);
  std::vector<Object *> targets(const YAML::Node &target, std::string_view kind,
                                std::string_view name, Output &out) const;

  std::size_t max_bytes_;
  KustomizeBuild &build_;
  std::vector<std::unique_ptr<ReadYaml>> files_;
  std::vector<fs::path> stack_; // the kustomization folders being built, against cycles
  int files_read_ = 0;
};

std::optional<fs::path> Builder::kustomization_in(const fs::path &folder) const {
  std::error_code error;
  for (const char *name : kKustomizationNames)
    if (fs::is_regular_file(folder / name, error))
      return folder / name;
  return std::nullopt;
}

const ReadYaml *Builder::read(const fs::path &path) {
  check_deadline();
  if (++files_read_ > kFileLimit) {
    build_.problems.push_back(fmt::format("more than {} files", kFileLimit));
    return nullptr;
  }
  std::string text;
  if (const auto failure = read_regular_file(path, max_bytes_, text)) {
    build_.problems.push_back(fmt::format("{}: {}", path.generic_string(), failure->message));
    return nullptr;
  }
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  build_.dependencies.push_back({absolute.string(), hash_of(text), false});
  auto file = std::make_unique<ReadYaml>();
  file->source = std::make_unique<SourceFile>(path.generic_string(), std::move(text));
  file->parsed = parse_documents(*file->source, holds_no_containers);
  if (!file->parsed.errors.empty() || !file->parsed.templates.empty())
    build_.problems.push_back(fmt::format("{} is not plain YAML", path.generic_string()));
  files_.push_back(std::move(file));
  return files_.back().get();
}

void Builder::add_file(const fs::path &path, Output &out) {
  const ReadYaml *file = read(path);
  if (!file)
    return;
  for (const Document &document : file->parsed.documents) {
    for (const KubeWorkload &workload : kube_workloads(document.root())) {
      Object object{workload.kind, workload.name, {}};
      for (const KubeContainer &container : workload.containers) {
        const YAML::Node &at = container.name ? container.name->key : container.body;
        object.containers.push_back(out.containers.size());
        out.containers.push_back({file->source->path(), document.span(at), container.display_name(),
                                  container.init, workload.kind, workload.name,
                                  workload.namespace_name, memory_limit_of(container.body)});
      }
      out.objects.push_back(std::move(object));
    }
    for (KubeLimitRange &range : limit_ranges(document.root()))
      out.limit_ranges.push_back(std::move(range));
  }
}

void Builder::add_folder(const fs::path &folder, Output &out, int depth, bool component) {
  const auto file = kustomization_in(folder);
  if (!file) {
    build_.problems.push_back(
        fmt::format("{} is a folder without a kustomization", folder.generic_string()));
    return;
  }
  build_.included_folders.push_back(folder.generic_string());
  const ReadYaml *read_file = read(*file);
  if (!read_file || read_file->parsed.documents.empty())
    return;
  if (component) { // a component's patches apply to what includes it
    build(folder, read_file->parsed.documents.front().root(), out, depth + 1);
    return;
  }
  Output inner;
  build(folder, read_file->parsed.documents.front().root(), inner, depth + 1);
  const size_t offset = out.containers.size();
  for (Object &object : inner.objects) {
    for (size_t &index : object.containers)
      index += offset;
    out.objects.push_back(std::move(object));
  }
  for (BuiltContainer &container : inner.containers)
    out.containers.push_back(std::move(container));
  for (KubeLimitRange &range : inner.limit_ranges)
    out.limit_ranges.push_back(std::move(range));
}

std::vector<Object *> Builder::targets(const YAML::Node &target, std::string_view kind,
                                       std::string_view name, Output &out) const {
  std::optional<std::string> want_kind =
      kind.empty() ? std::nullopt : std::optional(std::string(kind));
  std::optional<std::string> want_name =
      name.empty() ? std::nullopt : std::optional(std::string(name));
  if (target && target.IsMap()) { // a selector: its kind and name (label selectors: not read)
    want_kind = text_at(target, "kind");
    want_name = text_at(target, "name");
    if (find(target, "labelSelector") || find(target, "annotationSelector"))
      return {};
  }
  std::vector<Object *> out_objects;
  for (Object &object : out.objects)
    if ((!want_kind || *want_kind == object.kind) && (!want_name || *want_name == object.name))
      out_objects.push_back(&object);
  return out_objects;
}

void Builder::strategic_merge(const YAML::Node &patch, const ReadYaml *file,
                              const YAML::Node &target, Output &out) {
  const auto kind = text_at(patch, "kind");
  const auto name = find_path(patch, {"metadata", "name"});
  if (!kind)
    return;
  const std::vector<std::string> *spec = pod_spec_path(*kind);
  if (!spec)
    return;
  const auto pod = find_path(patch, *spec);
  if (!pod)
    return;
  for (Object *object : targets(target, *kind, name ? scalar(name->value).value_or("") : "", out)) {
    for (const char *list : {"initContainers", "containers"}) {
      const auto containers = find(pod->value, list);
      if (!containers || !containers->value.IsSequence())
        continue;
      for (const auto &container : containers->value) {
        const auto container_name = container.IsMap() ? text_at(container, "name") : std::nullopt;
        if (!container_name)
          continue;
        const auto limit = memory_limit_of(container);
        bool merged = false;
        for (size_t index : object->containers) {
          BuiltContainer &built = out.containers[index];
          if (built.name != *container_name || built.init != (list[0] == 'i'))
            continue;
          merged = true;
          if (limit)
            built.memory_limit = limit;
        }
        if (!merged && file) { // a container the patch adds
          const Document *document = nullptr;
          for (const Document &candidate : file->parsed.documents)
            if (candidate.root().is(patch))
              document = &candidate;
          if (!document)
            continue;
          const auto key = find(container, "name");
          const std::optional<std::string> namespace_name =
              object->containers.empty()
                  ? std::nullopt
                  : out.containers[object->containers.front()].namespace_name;
          object->containers.push_back(out.containers.size());
          out.containers.push_back({file->source->path(), document->span(key->key), *container_name,
                                    list[0] == 'i', object->kind, object->name, namespace_name,
                                    limit});
        }
      }
    }
  }
}

// `/spec/template/spec/containers/0/resources/limits/memory` and the like.
void Builder::json6902(const YAML::Node &operations, const YAML::Node &target, Output &out) {
  if (!operations.IsSequence())
    return;
  for (const auto &operation : operations) {
    if (!operation.IsMap())
      continue;
    const auto op = text_at(operation, "op");
    const auto path = text_at(operation, "path");
    if (!op || !path)
      continue;
    std::vector<std::string> parts;
    for (size_t at = 1; at <= path->size();) {
      const size_t slash = std::min(path->find('/', at), path->size());
      std::string part; // JSON pointer escapes: ~1 is `/`, ~0 is `~`
      for (size_t i = at; i < slash; ++i) {
        if ((*path)[i] == '~' && i + 1 < slash &&
            ((*path)[i + 1] == '0' || (*path)[i + 1] == '1')) {
          part += (*path)[++i] == '1' ? '/' : '~';
          continue;
        }
        part += (*path)[i];
      }
      parts.push_back(std::move(part));
      at = slash + 1;
    }
    const auto list = std::find_if(parts.begin(), parts.end(), [](const std::string &part) {
      return part == "containers" || part == "initContainers";
    });
    if (list == parts.end() || list + 1 == parts.end())
      continue;
    const bool init = *list == "initContainers";
    const std::string &index_text = *(list + 1);
    const std::vector<std::string> rest(list + 2, parts.end());
    const auto value = find(operation, "value");
    std::optional<YAML::Node> limit;
    if (value) {
      if (rest.empty())
        limit = memory_limit_of(value->value);
      else if (rest == std::vector<std::string>{"resources"} && value->value.IsMap())
        limit = find_path(value->value, {"limits", "memory"})
                    ? std::optional(find_path(value->value, {"limits", "memory"})->value)
                    : std::nullopt;
      else if (rest == std::vector<std::string>{"resources", "limits"} && value->value.IsMap())
        limit = find(value->value, "memory") ? std::optional(find(value->value, "memory")->value)
                                             : std::nullopt;
      else if (rest == std::vector<std::string>{"resources", "limits", "memory"})
        limit = value->value;
    }
    const bool touches_limit = rest.empty() || rest == std::vector<std::string>{"resources"} ||
                               rest == std::vector<std::string>{"resources", "limits"} ||
                               rest == std::vector<std::string>{"resources", "limits", "memory"};
    if (!touches_limit)
      continue;
    for (Object *object : targets(target, "", "", out)) {
      std::vector<size_t> of_list;
      for (size_t index : object->containers)
        if (out.containers[index].init == init)
          of_list.push_back(index);
      size_t position = 0;
      const char *end = index_text.data() + index_text.size();
      if (index_text == "-" ||
          std::from_chars(index_text.data(), end, position).ec != std::errc() ||
          position >= of_list.size())
        continue; // an added container: where it is written is the kustomization, seen below
      BuiltContainer &built = out.containers[of_list[position]];
      if (*op == "remove")
        built.memory_limit.reset();
      else if ((*op == "add" || *op == "replace") && limit)
        built.memory_limit = limit;
      else if (*op == "replace" && !limit)
        built.memory_limit.reset(); // the block replaced holds none
    }
  }
}

void Builder::patch_text(const fs::path &folder, const YAML::Node &entry, const YAML::Node &target,
                         bool json, Output &out) {
  // A file (`path:`, or a patchesStrategicMerge item naming one) or text written inline.
  std::optional<std::string> path, inline_text;
  if (entry.IsScalar()) {
    const std::string &text = entry.Scalar();
    if (text.find('\n') == std::string::npos && text.find(": ") == std::string::npos)
      path = text;
    else
      inline_text = text;
  } else if (entry.IsMap()) {
    path = text_at(entry, "path");
    inline_text = text_at(entry, "patch");
  }
  const ReadYaml *file = nullptr;
  if (path) {
    build_.patch_files.push_back(joined(folder, *path).generic_string());
    file = read(joined(folder, *path));
  } else if (inline_text) {
    auto read_inline = std::make_unique<ReadYaml>();
    read_inline->source = std::make_unique<SourceFile>(folder.generic_string(), *inline_text);
    read_inline->parsed = parse_documents(*read_inline->source);
    files_.push_back(std::move(read_inline));
    file = files_.back().get();
  }
  if (!file)
    return;
  for (const Document &document : file->parsed.documents) {
    const YAML::Node &root = document.root();
    if (json || root.IsSequence())
      json6902(root, target, out);
    else
      strategic_merge(root, path ? file : nullptr, target, out);
  }
}

void Builder::build(const fs::path &folder, const YAML::Node &root, Output &out, int depth) {
  if (depth > kDepthLimit || std::find(stack_.begin(), stack_.end(), folder) != stack_.end()) {
    build_.problems.push_back(fmt::format("{} includes itself, or kustomizations nest too deep",
                                          folder.generic_string()));
    return;
  }
  stack_.push_back(folder);
  if (root.IsMap()) {
    std::vector<std::string> resources = strings_at(root, "resources");
    for (const std::string &base : strings_at(root, "bases"))
      resources.push_back(base);
    for (const std::string &resource : resources) {
      if (resource.find("://") != std::string::npos || resource.starts_with("github.com/") ||
          resource.find("?ref=") != std::string::npos) {
        build_.problems.push_back(fmt::format("{} is remote: not read", resource));
        continue;
      }
      const fs::path path = joined(folder, resource);
      std::error_code error;
      if (fs::is_directory(path, error))
        add_folder(path, out, depth, false);
      else
        add_file(path, out);
    }
    for (const std::string &component : strings_at(root, "components"))
      add_folder(joined(folder, component), out, depth, true);
    if (const auto list = find(root, "patchesStrategicMerge"); list && list->value.IsSequence())
      for (const auto &item : list->value)
        patch_text(folder, item, YAML::Node(), false, out);
    if (const auto list = find(root, "patches"); list && list->value.IsSequence())
      for (const auto &item : list->value) {
        const auto target = item.IsMap() ? find(item, "target") : std::nullopt;
        patch_text(folder, item, target ? target->value : YAML::Node(), false, out);
      }
    if (const auto list = find(root, "patchesJson6902"); list && list->value.IsSequence())
      for (const auto &item : list->value) {
        const auto target = item.IsMap() ? find(item, "target") : std::nullopt;
        patch_text(folder, item, target ? target->value : YAML::Node(), true, out);
      }
    // Names the kustomizations that include this one match their patches against.
    const std::string prefix = text_at(root, "namePrefix").value_or("");
    const std::string suffix = text_at(root, "nameSuffix").value_or("");
    if (!prefix.empty() || !suffix.empty())
      for (Object &object : out.objects)
        object.name = prefix + object.name + suffix;
    if (const auto ns = text_at(root, "namespace")) {
      for (BuiltContainer &container : out.containers)
        container.namespace_name = *ns;
      for (KubeLimitRange &range : out.limit_ranges)
        range.namespace_name = *ns;
    }
  }
  stack_.pop_back();
}

} // namespace

bool is_kustomization_file_name(std::string_view file_name) {
  return std::find(std::begin(kKustomizationNames), std::end(kKustomizationNames), file_name) !=
         std::end(kKustomizationNames);
}

KustomizeBuild build_kustomization(const SourceFile &source, std::size_t max_bytes) {
  KustomizeBuild build;
  const fs::path folder = fs::path(source.path()).parent_path();
  build.folder = folder.empty() ? "." : folder.generic_string();
  const ParsedFile parsed = parse_documents(source);
  if (parsed.documents.empty())
    return build;
  Output out;
  Builder builder(max_bytes, build);
  builder.build(folder.empty() ? fs::path(".") : folder, parsed.documents.front().root(), out, 0);
  build.containers = std::move(out.containers);
  build.limit_ranges = std::move(out.limit_ranges);
  std::sort(build.included_folders.begin(), build.included_folders.end());
  build.included_folders.erase(
      std::unique(build.included_folders.begin(), build.included_folders.end()),
      build.included_folders.end());
  return build;
}

} // namespace leash::yaml
