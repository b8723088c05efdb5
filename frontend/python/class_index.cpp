#include "frontend/python/class_index.h"

#include "core/deadline.h"
#include "core/parallel.h"
#include "core/read_file.h"
#include "frontend/python/module.h"
#include "frontend/python/python_check.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace leash::python {

namespace {

// The base lists of a text's top-level classes (`class C(a.Base, Mixin):` gives "a.Base, Mixin"),
// read without parsing: the module is parsed only when one may name a class of interest.
std::vector<std::string> base_lists(std::string_view text) {
  std::vector<std::string> lists;
  for (size_t at = 0; at < text.size();) {
    if (text.compare(at, 6, "class ") == 0) {
      const size_t open = text.find_first_of("(:\n", at + 6);
      if (open != std::string_view::npos && text[open] == '(') {
        const size_t close = std::min(text.find(')', open), text.size());
        lists.emplace_back(text.substr(open + 1, close - open - 1));
      }
    }
    const size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos)
      break;
    at = newline + 1;
  }
  return lists;
}

// The classes the enabled Python checks judge, under any file's settings.
std::set<std::string> judged_classes(const std::vector<const InputFile *> &files) {
  std::set<const Settings *> seen;
  std::set<std::string> classes;
  for (const InputFile *file : files)
    if (seen.insert(file->settings).second)
      for (const auto &item : CheckList<PythonCheck>::items())
        if (const RuleSettings *rule = file->settings->enabled(item.rule))
          for (const std::string &name : item.check->classes(*rule))
            classes.insert(name);
  return classes;
}

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Calls `visit(word)` for each identifier-like word of `text`, in order.
template <class Visit> void for_each_word(std::string_view text, Visit visit) {
  for (size_t at = 0; at < text.size();) {
    if (!identifier_char(text[at])) {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && identifier_char(text[end]))
      ++end;
    visit(text.substr(at, end - at));
    at = end;
  }
}

std::string_view last_part(std::string_view dotted) { return dotted.substr(dotted.rfind('.') + 1); }

std::string joined(std::vector<std::string>::const_iterator first,
                   std::vector<std::string>::const_iterator last) {
  std::string out;
  for (auto it = first; it != last; ++it)
    out += (out.empty() ? "" : ".") + *it;
  return out;
}

// A top-level class of a parsed module: its full name's parts (the folders of its file's path,
// the module, the class) and its bases, qualified; a base that is a class of the same module is
// named by that class's full name.
struct Defined {
  std::vector<std::string> parts;
  ClassShape shape;
};

std::vector<Defined> defined_classes(const InputFile &file) {
  std::string text;
  if (read_regular_file(file.path, file.settings->config().max_file_bytes, text))
    return {};
  std::vector<Defined> out;
  try {
    const FileDeadline deadline(file.settings->config().max_file_time);
    const SourceFile source(file.display, std::move(text));
    const Module module(source);
    std::vector<std::string> prefix = package_components(file.display);
    if (const std::string stem = std::filesystem::path(file.display).stem().string();
        stem != "__init__")
      prefix.push_back(stem);
    for (const auto &[name, shape] : module.class_shapes()) {
      Defined defined{prefix, shape};
      defined.parts.push_back(name);
      for (std::string &base : defined.shape.bases)
        if (base.starts_with("builtins.") && module.class_shapes().contains(base.substr(9)))
          base = joined(prefix.begin(), prefix.end()) + "." + base.substr(9);
      out.push_back(std::move(defined));
    }
  } catch (...) { // DeadlineExceeded, or an unparsable file: the scan reports it
    return {};
  }
  return out;
}

// A name a package gives a class of the tree (`from ._server import FakeRedis` in
// fakeredis/__init__.py: fakeredis.FakeRedis), by its parts.
struct Reexport {
  std::vector<std::string> parts;
  std::string full;
};

// The names the tree's packages (`__init__.py`) give the `kept` classes through their imports,
// `*` included (a class whose name starts with `_` is not exported by `*`).
std::vector<Reexport> reexports(const std::vector<const InputFile *> &files,
                                const std::set<std::string> &kept,
                                const std::map<std::string, std::string, std::less<>> &tails,
                                int jobs) {
  std::set<std::string, std::less<>> names;
  for (const std::string &full : kept)
    names.emplace(last_part(full));
  std::vector<const InputFile *> packages;
  for (const InputFile *file : files)
    if (std::filesystem::path(file->display).stem() == "__init__")
      packages.push_back(file);
  std::vector<std::vector<Reexport>> found(packages.size());
  parallel_for(packages.size(), jobs, [&](size_t i) {
    const InputFile &file = *packages[i];
    std::string text;
    if (read_regular_file(file.path, file.settings->config().max_file_bytes, text))
      return;
    bool named = text.find("import *") != std::string::npos;
    for_each_word(text, [&](std::string_view word) { named = named || names.contains(word); });
    if (!named)
      return;
    try {
      const FileDeadline deadline(file.settings->config().max_file_time);
      const SourceFile source(file.display, std::move(text));
      const Module module(source);
      const std::vector<std::string> package = package_components(file.display);
      const auto add = [&](std::string_view local, const std::string &full) {
        Reexport alias{package, full};
        alias.parts.emplace_back(local);
        found[i].push_back(std::move(alias));
      };
      for (const auto &[local, qualified] : module.imports())
        if (const auto tail = tails.find(qualified);
            tail != tails.end() && kept.contains(tail->second))
          add(local, tail->second);
      for (const std::string &star : module.star_imports())
        for (const std::string &full : kept) {
          const std::string_view name = last_part(full);
          const std::string_view owner =
              std::string_view(full).substr(0, full.size() - name.size() - 1);
          if (!name.starts_with('_') && (owner == star || owner.ends_with("." + star)))
            add(name, full);
        }
    } catch (...) { // DeadlineExceeded, or an unparsable file: the scan reports it
    }
  });
  std::vector<Reexport> all;
  for (auto &list : found)
    std::move(list.begin(), list.end(), std::back_inserter(all));
  return all;
}

} // namespace

std::shared_ptr<const ClassIndex> ClassIndex::build(const std::vector<const InputFile *> &files,
                                                    int jobs) {
  const std::set<std::string> judged = judged_classes(files);
  if (judged.empty())
    return nullptr;
  std::set<std::string, std::less<>> words; // what a base list must mention to be parsed
  for (const std::string &name : judged)
    words.emplace(last_part(name));

  std::vector<std::vector<std::string>> lists(files.size());
  parallel_for(files.size(), jobs, [&](size_t i) {
    std::string text;
    if (!read_regular_file(files[i]->path, files[i]->settings->config().max_file_bytes, text))
      lists[i] = base_lists(text);
  });

  // Rounds: the modules whose classes may derive from a judged class, then those whose classes
  // may derive from one found in the round before, until none is found.
  std::map<std::string, Defined> all; // by full name
  std::map<std::string, std::string, std::less<>> tails;
  std::vector<bool> parsed(files.size());
  std::set<std::string> reaching;
  for (int round = 0; round < 8; ++round) {
    // A base list names a class of interest when it has one's name in it: `_Queue` and
    // `BaseRedis` (aliases) too, while there are few names; with many, the list's own words are
    // looked up.
    const auto names_one = [&](const std::string &list) {
      bool named = false;
      if (words.size() <= 64)
        named = std::any_of(words.begin(), words.end(), [&](const std::string &word) {
          return list.find(word) != std::string::npos;
        });
      else
        for_each_word(list, [&](std::string_view word) { named = named || words.contains(word); });
      return named;
    };
    std::vector<size_t> now;
    for (size_t i = 0; i < files.size(); ++i)
      if (!parsed[i] && std::any_of(lists[i].begin(), lists[i].end(), names_one))
        now.push_back(i);
    if (now.empty())
      break;
    std::vector<std::vector<Defined>> found(now.size());
    parallel_for(now.size(), jobs, [&](size_t k) { found[k] = defined_classes(*files[now[k]]); });
    for (size_t k = 0; k < now.size(); ++k) {
      parsed[now[k]] = true;
      for (Defined &defined : found[k])
        all.insert_or_assign(joined(defined.parts.begin(), defined.parts.end()),
                             std::move(defined));
    }
    tails.clear();
    for (const auto &[full, defined] : all) // sorted: the first full name wins a shared tail
      for (size_t from = 0; from + 2 <= defined.parts.size(); ++from)
        tails.emplace(
            joined(defined.parts.begin() + static_cast<std::ptrdiff_t>(from), defined.parts.end()),
            full);
    // Which classes derive from a judged one, with no constructor of their own on the way.
    std::map<std::string, bool> memo;
    const auto reaches = [&](const auto &self, const std::string &name, int depth) -> bool {
      if (judged.contains(name))
        return true;
      const auto tail = tails.find(name);
      if (tail == tails.end() || depth > 8)
        return false;
      if (const auto it = memo.find(tail->second); it != memo.end())
        return it->second;
      memo[tail->second] = false; // a cycle derives from nothing
      const ClassShape &shape = all.at(tail->second).shape;
      const bool yes = !shape.constructor &&
                       std::any_of(shape.bases.begin(), shape.bases.end(),
                                   [&](const auto &base) { return self(self, base, depth + 1); });
      return memo[tail->second] = yes;
    };
    const size_t before = reaching.size();
    for (const auto &[full, defined] : all)
      if (reaches(reaches, full, 0) && reaching.insert(full).second)
        words.insert(defined.parts.back());
    if (reaching.size() == before)
      break;
  }
  if (reaching.empty())
    return nullptr;

  // Those classes, and the tree's classes they derive from (a mixin of the project's own, which
  // decides whether the arguments reach the client class).
  std::set<std::string> kept;
  std::vector<std::string> pending(reaching.begin(), reaching.end());
  while (!pending.empty()) {
    const std::string full = std::move(pending.back());
    pending.pop_back();
    if (!kept.insert(full).second)
      continue;
    for (const std::string &base : all.at(full).shape.bases)
      if (const auto tail = tails.find(base); tail != tails.end())
        pending.push_back(tail->second);
  }
  auto index = std::make_shared<ClassIndex>();
  for (const std::string &full : kept)
    index->classes_.emplace(full, all.at(full).shape);
  for (const auto &[tail, full] : tails)
    if (kept.contains(full))
      index->tails_.emplace(tail, full);
  // What a module that mentions a class's name depends on: the classes of that name and every
  // class they derive from in the tree, and the packages that re-export them.
  for (const std::string &full : reaching)
    index->names_[all.at(full).parts.back()] += index->chain(full);
  for (const Reexport &alias : reexports(files, kept, tails, jobs)) {
    for (size_t from = 0; from + 2 <= alias.parts.size(); ++from)
      index->tails_.emplace(
          joined(alias.parts.begin() + static_cast<std::ptrdiff_t>(from), alias.parts.end()),
          alias.full); // a class's own module wins a shared name
    if (reaching.contains(alias.full))
      index->names_[alias.parts.back()] +=
          joined(alias.parts.begin(), alias.parts.end()) + "\x1d" + index->chain(alias.full);
  }
  return index;
}

std::string ClassIndex::chain(const std::string &full) const {
  std::string chain;
  std::vector<std::string> pending = {full};
  for (int depth = 0; !pending.empty() && depth < 8; ++depth) {
    std::vector<std::string> next;
    for (const std::string &name : pending) {
      const ClassShape *found = shape(name);
      if (!found)
        continue;
      chain += name;
      for (const std::string &base : found->bases)
        chain += "\x1f" + base;
      chain += "\x1e";
      for (const std::string &method : found->methods)
        chain += "\x1f" + method;
      chain += '\n';
      next.insert(next.end(), found->bases.begin(), found->bases.end());
    }
    pending = std::move(next);
  }
  return chain;
}

const ClassShape *ClassIndex::shape(std::string_view qualified) const {
  const auto tail = tails_.find(qualified);
  if (tail == tails_.end())
    return nullptr;
  return &classes_.find(tail->second)->second;
}

template <class Visit>
void ClassIndex::for_each_mentioned(std::string_view text, Visit visit) const {
  if (names_.size() <= 16) { // a few: searched for, as the prefilter's words are
    for (const auto &[name, chain] : names_)
      if (text.find(name) != std::string_view::npos)
        visit(chain);
    return;
  }
  std::set<std::string_view> seen; // many: the text's words looked up, in one pass
  for_each_word(text, [&](std::string_view word) {
    if (const auto it = names_.find(word); it != names_.end() && seen.insert(word).second)
      visit(it->second);
  });
}

bool ClassIndex::mentioned(std::string_view text) const {
  bool found = false;
  for_each_mentioned(text, [&](const std::string &) { found = true; });
  return found;
}

std::string ClassIndex::key_for(std::string_view text) const {
  std::string key;
  for_each_mentioned(text, [&](const std::string &chain) { key += chain; });
  return key;
}

} // namespace leash::python
