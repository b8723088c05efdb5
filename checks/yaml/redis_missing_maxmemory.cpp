// redis-missing-maxmemory: a redis-server container started without --maxmemory grows until the
// kernel kills it. Image names are an option; the flag and where commands live are targets data.
#include "checks/yaml/memory.h"
#include "frontend/yaml/helm.h"
#include "frontend/yaml/yaml_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace leash::yaml {

namespace {

// "docker.io/library/redis:7.2-alpine@sha256:..." -> "redis"
std::string image_name(std::string_view image) {
  image = image.substr(0, image.find('@'));
  const size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  last = last.substr(0, last.find(':'));
  std::string name(last);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

// The words of a command given as a string (shell form) or a list (exec form).
void append_words(const YAML::Node &command, std::vector<std::string> &words) {
  auto split = [&](const std::string &text) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
        ++i;
      size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
        ++end;
      std::string word = text.substr(i, end - i);
      std::erase_if(word, [](char c) { return c == '"' || c == '\''; });
      if (!word.empty())
        words.push_back(std::move(word));
      i = end;
    }
  };
  if (command.IsScalar())
    split(command.Scalar());
  else if (command.IsSequence())
    for (const auto &item : command)
      if (item.IsScalar())
        split(item.Scalar());
}

enum class Verdict { Fine, Unbounded, ZeroLimit };

// "0", "0mb", "00gb": redis reads these as "no limit".
bool is_zero_size(std::string_view value) {
  size_t zeros = 0;
  while (zeros < value.size() && value[zeros] == '0')
    ++zeros;
  return zeros > 0 &&
         (zeros == value.size() || std::isalpha(static_cast<unsigned char>(value[zeros])));
}

// targets.yaml: the servers and their flag, what makes a container a Sentinel instead, and where
// the command line is written, in the order the container runtime joins it.
struct Targets {
  std::vector<std::string> servers;
  std::string flag;
  std::vector<std::string> sentinel_words;                       // in the command line
  std::vector<std::pair<std::string, std::string>> sentinel_env; // name, value
  SettingPaths paths;
};

// What the container's command line says about the server's memory limit.
Verdict judge(const std::vector<std::string> &words, const Targets &targets) {
  const std::string_view flag = targets.flag;
  for (const std::string &word : words) // Sentinel keeps no data set
    if (std::find(targets.sentinel_words.begin(), targets.sentinel_words.end(), word) !=
        targets.sentinel_words.end())
      return Verdict::Fine;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string &word = words[i];
    std::string value;
    if (word == flag && i + 1 < words.size())
      value = words[i + 1];
    else if (word.starts_with(flag) && word.size() > flag.size() && word[flag.size()] == '=')
      value = word.substr(flag.size() + 1);
    else if (word == flag)
      return Verdict::Fine;
    else
      continue;
    return is_zero_size(value) ? Verdict::ZeroLimit : Verdict::Fine;
  }
  // A config file may set maxmemory; leash cannot see into it.
  if (std::any_of(words.begin(), words.end(),
                  [](const std::string &w) { return w.ends_with(".conf"); }))
    return Verdict::Fine;
  if (words.empty() || words.front().starts_with('-'))
    return Verdict::Unbounded; // the image's entrypoint runs redis-server (with these flags)
  const bool runs_server = std::any_of(words.begin(), words.end(), [&](const std::string &w) {
    return std::any_of(targets.servers.begin(), targets.servers.end(),
                       [&](const std::string &server) { return w.find(server) != w.npos; });
  });
  return runs_server ? Verdict::Unbounded : Verdict::Fine; // else: redis-cli, a shell, ...
}

class RedisMissingMaxmemory final : public YamlCheck {
public:
  using Targets = leash::yaml::Targets;
  static Targets parse_targets(const TargetReader &targets, const Rule &) {
    const auto r = targets.record({"servers", "flag", "sentinel", "compose", "kubernetes"});
    Targets t;
    t.servers = r.required("servers").strings();
    if (t.servers.empty())
      r.required("servers").fail("`servers` names no server");
    t.flag = r.required("flag").string();
    const auto sentinel = r.required("sentinel").record({"words", "env"});
    t.sentinel_words = sentinel.required("words").strings();
    for (const auto &[name, value] : sentinel.required("env").entries())
      t.sentinel_env.emplace_back(name, value.string());
    t.paths = SettingPaths::read(r);
    return t;
  }

  void check_compose(const ComposeFile &file, CheckContext &context) const override {
    const Targets &targets = context.targets<RedisMissingMaxmemory>();
    static const std::vector<SettingPath> kImage = {{"image"}};
    for (const ComposeService &service : file.services()) {
      // What the service runs, as Compose merges it with the service it extends.
      const auto image = settings_of(file, service, kImage, Inherited::Followed).found;
      if (image.empty() || !is_redis(image.front().entry.value, context))
        continue;
      static const std::vector<SettingPath> kEnvironment = {{"environment"}};
      const auto environment = settings_of(file, service, kEnvironment, Inherited::Followed).found;
      if (!environment.empty() && sentinel_by_env(environment.front().entry.value, targets))
        continue;
      std::vector<std::string> words;
      std::optional<Entry> command_key;
      for (const Setting &setting :
           settings_of(file, service, targets.paths.compose, Inherited::Followed).found) {
        append_words(setting.entry.value, words);
        if (setting.path->back() == "command" && find(service.body, "command"))
          command_key = setting.entry;
      }
      report(judge(words, targets), server_of(image.front().entry.value, targets),
             command_key ? command_key->key : service.key,
             fmt::format("service \"{}\"", service.name), file.document(), context);
    }
  }

  void check_kube(const KubeWorkload &workload, const Document &document,
                  CheckContext &context) const override {
    for (const KubeContainer &container : workload.containers) {
      const auto image = find(container.body, "image");
      if (!image || !is_redis(image->value, context))
        continue;
      const Targets &targets = context.targets<RedisMissingMaxmemory>();
      if (const auto env = find(container.body, "env"); env && sentinel_by_env(env->value, targets))
        continue;
      // A Helm template may write the command line in a block leash did not render.
      if (std::any_of(
              targets.paths.kubernetes.begin(), targets.paths.kubernetes.end(),
              [&](const SettingPath &path) { return unrendered_along(container.body, path); }))
        continue;
      std::vector<std::string> words;
      for (const Setting &setting : settings_of(container, targets.paths.kubernetes))
        append_words(setting.entry.value, words);
      const auto command = find(container.body, "command");
      const YAML::Node &at = command          ? command->key
                             : container.name ? container.name->key
                                              : container.body;
      report(judge(words, targets), server_of(image->value, targets), at,
             fmt::format("container \"{}\" of {} \"{}\"", container.display_name(), workload.kind,
                         workload.name),
             document, context);
    }
  }

private:
  static bool is_redis(const YAML::Node &image, const CheckContext &context) {
    const auto text = scalar(image);
    if (!text)
      return false;
    const auto names = context.string_list_option("images");
    return std::find(names.begin(), names.end(), image_name(*text)) != names.end();
  }

  // Whether the container's environment sets the switch its image's entrypoint reads to run
  // Sentinel (compose: a mapping or `NAME=value` items; Kubernetes: `{name, value}` items).
  static bool sentinel_by_env(const YAML::Node &environment, const Targets &targets) {
    auto is_switch = [&](std::string_view name, std::string_view value) {
      return std::any_of(
          targets.sentinel_env.begin(), targets.sentinel_env.end(),
          [&](const auto &wanted) { return wanted.first == name && wanted.second == value; });
    };
    if (environment.IsMap()) {
      for (const auto &item : environment)
        if (const auto name = scalar(item.first), value = scalar(item.second); name && value)
          if (is_switch(*name, *value))
            return true;
    } else if (environment.IsSequence()) {
      for (const auto &item : environment) {
        if (const auto text = scalar(item)) {
          const size_t equals = text->find('=');
          if (equals != std::string::npos && is_switch(std::string_view(*text).substr(0, equals),
                                                       std::string_view(*text).substr(equals + 1)))
            return true;
        } else if (item.IsMap()) {
          const auto name = find(item, "name"), value = find(item, "value");
          if (name && value) {
            const auto name_text = scalar(name->value), value_text = scalar(value->value);
            if (name_text && value_text && is_switch(*name_text, *value_text))
              return true;
          }
        }
      }
    }
    return false;
  }

  // The server the image runs, for the message: the one named like the image
  // (`valkey/valkey` runs valkey-server), else the first.
  static std::string server_of(const YAML::Node &image, const Targets &targets) {
    const std::string name = image_name(scalar(image).value_or(""));
    for (const std::string &server : targets.servers)
      if (server.substr(0, server.find('-')) == name)
        return server;
    return targets.servers.front();
  }

  static void report(Verdict verdict, const std::string &server, const YAML::Node &at,
                     const std::string &who, const Document &document, CheckContext &context) {
    if (verdict == Verdict::Fine)
      return;
    context.report(document.span(at),
                   fmt::format("{} in {} runs {}; it grows until the kernel kills it: "
                               "pass --maxmemory <size> and a --maxmemory-policy",
                               server, who,
                               verdict == Verdict::ZeroLimit ? "with --maxmemory 0 (no limit)"
                                                             : "without --maxmemory"));
  }
};

LEASH_REGISTER_CHECK(YamlCheck, RedisMissingMaxmemory, "redis-missing-maxmemory");

} // namespace

} // namespace leash::yaml
