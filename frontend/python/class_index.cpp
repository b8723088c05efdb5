#include "frontend/python/class_index.h"

#include "core/cache.h"
#include "core/deadline.h"
#include "core/hash.h"
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
  for (size_t at = text.find("class "); at != std::string_view::npos;
       at = text.find("class ", at + 6)) {
    if (at > 0 && text[at - 1] != '\n')
      continue; // not at the top level
    const size_t open = text.find_first_of("(:\n", at + 6);
    if (open != std::string_view::npos && text[open] == '(') {
      const size_t close = std::min(text.find(')', open), text.size());
      lists.emplace_back(text.substr(open + 1, close - open - 1));
    }
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
        if (const RuleSettings *rule = file->settings->enabled(item.rule, Language::Python))
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

// Whether `text` has one of `names` in it: searched for while there are at most `searched` (a
// name inside a word counts then: `_Queue`), else the text's words are looked up, in one pass.
bool mentions_any(std::string_view text, const std::set<std::string, std::less<>> &names,
                  size_t searched = 16) {
  if (names.size() <= searched)
    return std::any_of(names.begin(), names.end(), [&](const std::string &name) {
      return text.find(name) != std::string_view::npos;
    });
  bool found = false;
  for_each_word(text, [&](std::string_view word) { found = found || names.contains(word); });
  return found;
}

// Whether one of the base lists names one of `names`: aliases too (`_Queue`, `BaseRedis`) while
// there are at most 64; a base list is short.
bool names_any(const std::vector<std::string> &lists,
               const std::set<std::string, std::less<>> &names) {
  return std::any_of(lists.begin(), lists.end(),
                     [&](const std::string &list) { return mentions_any(list, names, 64); });
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

// What the index reads of a parsed module, as records of fields (no field of a Python name holds
// a control character): its top-level classes (`class`, name, constructor or not, then `base`
// and `method` records), or its imports (`import`, local name, qualified; `star`, module).
using Records = std::vector<std::vector<std::string>>;

Records class_records(const Module &module) {
  Records records;
  for (const auto &[name, shape] : module.class_shapes()) {
    records.push_back({"class", name, shape.constructor ? "1" : "0"});
    for (const std::string &base : shape.bases)
      records.push_back({"base", base});
    for (const std::string &method : shape.methods)
      records.push_back({"method", method});
  }
  return records;
}

Records import_records(const Module &module) {
  Records records;
  for (const auto &[local, qualified] : module.imports())
    records.push_back({"import", local, qualified});
  for (const std::string &star : module.star_imports())
    records.push_back({"star", star});
  return records;
}

// `read(module)` of a file's module, from the cache when it holds it for this text, path and
// build (the records name the file's absolute path: relative imports resolve by it); empty when
// the file cannot be read or parsed (the scan reports that). The text must pass `wanted`.
template <class Wanted>
Records module_records(const InputFile &file, Cache *cache, std::string_view kind,
                       Records (*read)(const Module &), Wanted wanted) {
  std::string text;
  if (read_regular_file(file.path, file.settings->config().max_file_bytes, text) || !wanted(text))
    return {};
  std::optional<Digest> key;
  if (cache) {
    Hasher hasher;
    key = cache->seal(hasher)
              .field("leash python class index")
              .field(Cache::build_identity())
              .field(kind)
              .field(file.path.string()) // absolute and normal (discovery.h): no getcwd
              .field(hash_of(text))
              .digest();
    if (auto entry = cache->lookup(*key)) {
      Records records;
      for (const std::string &fact : entry->result.facts) {
        records.emplace_back();
        for (size_t at = 0;;) {
          const size_t end = fact.find('\x1f', at);
          records.back().push_back(fact.substr(at, end - at));
          if (end == std::string::npos)
            break;
          at = end + 1;
        }
      }
      return records;
    }
  }
  Records records;
  try {
    const FileDeadline deadline(file.settings->config().max_file_time);
    const SourceFile source(file.display, std::move(text));
    const Module module(source);
    records = read(module);
  } catch (...) { // DeadlineExceeded, or an unparsable file: the scan reports it
    return {};
  }
  if (key) {
    FileResult stored;
    for (const auto &record : records) {
      std::string fact;
      for (const std::string &field : record)
        fact += (fact.empty() ? "" : "\x1f") + field;
      stored.facts.push_back(std::move(fact));
    }
    cache->store(*key, stored, {});
  }
  return records;
}

std::vector<Defined> defined_classes(const InputFile &file, Cache *cache) {
  const Records records =
      module_records(file, cache, "classes", class_records, [](std::string_view) { return true; });
  const std::vector<std::string> prefix = module_components(file.path);
  std::vector<Defined> out;
  std::set<std::string, std::less<>> names;
  for (const auto &record : records)
    if (record.size() == 3 && record[0] == "class") {
      out.push_back({prefix, {}});
      out.back().parts.push_back(record[1]);
      out.back().shape.constructor = record[2] == "1";
      names.insert(record[1]);
    } else if (record.size() == 2 && !out.empty()) {
      (record[0] == "base" ? out.back().shape.bases : out.back().shape.methods)
          .push_back(record[1]);
    }
  // A bare name is a class of the same module (by its full name), a builtin (`object`), or one
  // this module cannot resolve (a `*` import): kept apart from the builtins of the module that
  // builds the class, which Module::built_class would read it as.
  const std::string module = joined(prefix.begin(), prefix.end());
  for (Defined &defined : out)
    for (std::string &base : defined.shape.bases)
      if (base.starts_with("builtins.") && base != "builtins.object")
        base = (names.contains(std::string_view(base).substr(9)) ? module : module + ".?") + "." +
               base.substr(9);
  return out;
}

// Every name a class of the tree answers to, a tail of its full name (app.clients.AppRedis,
// clients.AppRedis), and the classes that answer to each; never a judged class's own name (a
// project module `app/redis.py` with `class Redis(redis.Redis)` must not shadow redis.Redis).
using Tails = ClassIndex::Tails;

void add_tails(Tails &tails, const std::vector<std::string> &parts, const std::string &full,
               const std::set<std::string> &judged) {
  for (size_t from = 0; from + 2 <= parts.size(); ++from) {
    std::string tail = joined(parts.begin() + static_cast<std::ptrdiff_t>(from), parts.end());
    if (judged.contains(tail))
      continue;
    auto &owners = tails[std::move(tail)];
    if (std::find(owners.begin(), owners.end(), full) == owners.end())
      owners.push_back(full);
  }
}

// A name a package gives a class of the tree (`from ._server import FakeRedis` in
// fakeredis/__init__.py: fakeredis.FakeRedis), by its parts.
struct Reexport {
  std::vector<std::string> parts;
  std::string full;
};

// The names one package (`__init__.py`) gives the `kept` classes (whose names are `names`).
std::vector<Reexport> package_names(const InputFile &file,
                                    const std::set<std::string, std::less<>> &names,
                                    const std::set<std::string> &kept, const Tails &tails,
                                    Cache *cache) {
  const Records records =
      module_records(file, cache, "imports", import_records, [&](std::string_view text) {
        return text.find("import *") != std::string::npos || mentions_any(text, names);
      });
  const std::vector<std::string> package = package_components(file.path);
  const std::string near = joined(package.begin(), package.end());
  std::vector<Reexport> found;
  const auto add = [&](std::string_view local, const std::string &full) {
    Reexport alias{package, full};
    alias.parts.emplace_back(local);
    found.push_back(std::move(alias));
  };
  for (const auto &record : records) {
    if (record.size() == 3 && record[0] == "import") {
      if (const std::string *full = ClassIndex::resolve(tails, record[2], near);
          full && kept.contains(*full))
        add(record[1], *full);
    } else if (record.size() == 2 && record[0] == "star") {
      const std::string &star = record[1];
      for (const std::string &full : kept) {
        const std::string_view name = last_part(full);
        const std::string_view owner =
            std::string_view(full).substr(0, full.size() - name.size() - 1);
        if (!name.starts_with('_') && (owner == star || owner.ends_with("." + star)))
          add(name, full);
      }
    }
  }
  return found;
}

// The names the tree's packages (`__init__.py`) give the `kept` classes through their imports,
// `*` included (a class whose name starts with `_` is not exported by `*`).
std::vector<Reexport> reexports(const std::vector<const InputFile *> &files,
                                const std::set<std::string> &kept, const Tails &tails, int jobs,
                                Cache *cache) {
  std::set<std::string, std::less<>> names;
  for (const std::string &full : kept)
    names.emplace(last_part(full));
  std::vector<const InputFile *> packages;
  for (const InputFile *file : files)
    if (std::filesystem::path(file->display).stem() == "__init__")
      packages.push_back(file);
  std::vector<std::vector<Reexport>> found(packages.size());
  parallel_for(packages.size(), jobs, [&](size_t i) {
    try {
      found[i] = package_names(*packages[i], names, kept, tails, cache);
    } catch (...) { // the path or memory failed: the scan reports what it cannot read
    }
  });
  std::vector<Reexport> all;
  for (auto &list : found)
    std::move(list.begin(), list.end(), std::back_inserter(all));
  return all;
}

} // namespace

std::shared_ptr<const ClassIndex> ClassIndex::build(const std::vector<const InputFile *> &files,
                                                    int jobs, Cache *cache) {
  const std::set<std::string> judged = judged_classes(files);
  if (judged.empty())
    return nullptr;
  // What a base list must mention for its module to be parsed: a judged class's name, in a
  // module whose text names that class's library (`redis` for redis.Redis: a name resolves to
  // it only through an import); or a class of the tree found so far, in any module.
  std::set<std::string, std::less<>> library_words;
  std::set<std::string, std::less<>> libraries;
  for (const std::string &name : judged) {
    library_words.emplace(last_part(name));
    libraries.insert(name.substr(0, name.find('.')));
  }
  std::set<std::string, std::less<>> words;

  std::vector<std::vector<std::string>> lists(files.size());
  std::vector<char> derives_library(files.size());
  parallel_for(files.size(), jobs, [&](size_t i) {
    try {
      std::string text;
      if (files[i]->path.extension() == ".pyi" || // a stub's classes are not what runs
          read_regular_file(files[i]->path, files[i]->settings->config().max_file_bytes, text))
        return;
      lists[i] = base_lists(text);
      derives_library[i] =
          names_any(lists[i], library_words) &&
          std::any_of(libraries.begin(), libraries.end(),
                      [&](const std::string &l) { return text.find(l) != std::string::npos; });
    } catch (...) { // memory failed: the scan reports what it cannot read
    }
  });

  // Rounds: the modules whose classes may derive from a judged class, then those whose classes
  // may derive from one found in the round before, until none is found.
  std::map<std::string, Defined> all; // by full name
  Tails tails;
  std::vector<bool> parsed(files.size());
  std::set<std::string> reaching;
  // The modules each file may be imported as (every tail of its dotted name), to find the module
  // of a class named as a base and not yet read (a mixin of the project's own, which has no base
  // list to be found by).
  std::map<std::string, std::vector<size_t>, std::less<>> modules;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i]->path.extension() == ".pyi")
      continue;
    const std::vector<std::string> parts = module_components(files[i]->path);
    for (size_t from = 0; from < parts.size(); ++from)
      modules[joined(parts.begin() + static_cast<std::ptrdiff_t>(from), parts.end())].push_back(i);
  }
  std::set<size_t> needed;
  std::vector<Reexport> aliases; // of the classes found to reach a judged one
  for (int round = 0; round < 8; ++round) {
    std::vector<size_t> now;
    for (size_t i = 0; i < files.size(); ++i)
      if (!parsed[i] && (derives_library[i] || needed.contains(i) || names_any(lists[i], words)))
        now.push_back(i);
    if (now.empty())
      break;
    std::vector<std::vector<Defined>> found(now.size());
    parallel_for(now.size(), jobs, [&](size_t k) {
      try {
        found[k] = defined_classes(*files[now[k]], cache);
      } catch (...) { // the path or memory failed: the scan reports what it cannot read
      }
    });
    for (size_t k = 0; k < now.size(); ++k) {
      parsed[now[k]] = true;
      for (Defined &defined : found[k])
        all.insert_or_assign(joined(defined.parts.begin(), defined.parts.end()),
                             std::move(defined));
    }
    tails.clear();
    for (const auto &[full, defined] : all)
      add_tails(tails, defined.parts, full, judged);
    for (const Reexport &alias : aliases) // (see below)
      add_tails(tails, alias.parts, alias.full, judged);
    // Which classes derive from a judged one, with no constructor of their own: from the judged
    // classes' direct subclasses down (no recursion: a chain may be long).
    std::map<std::string, std::vector<std::string>> derived; // a class -> its subclasses
    std::vector<std::string> work;
    for (const auto &[full, defined] : all) {
      if (defined.shape.constructor)
        continue;
      for (const std::string &base : defined.shape.bases) {
        if (judged.contains(base))
          work.push_back(full);
        else if (const std::string *found_base = ClassIndex::resolve(tails, base, full))
          derived[*found_base].push_back(full);
      }
    }
    reaching.clear();
    while (!work.empty()) {
      const std::string full = std::move(work.back());
      work.pop_back();
      if (!reaching.insert(full).second)
        continue;
      for (const std::string &sub : derived[full])
        if (!all.at(sub).shape.constructor)
          work.push_back(sub);
    }
    const size_t before = words.size();
    for (const std::string &full : reaching)
      words.emplace(last_part(full));
    // The packages' names for those classes: a class of a module not read yet may derive from one
    // by such a name (`from app import DefaultRedis`, re-exported by app/__init__.py).
    aliases = reexports(files, reaching, tails, jobs, cache);
    for (const Reexport &alias : aliases)
      words.insert(alias.parts.back());
    // The modules of the bases of those classes that no module read so far defines.
    needed.clear();
    for (const std::string &full : reaching)
      for (const std::string &base : all.at(full).shape.bases)
        if (!judged.contains(base) && !ClassIndex::resolve(tails, base, full) &&
            base.find('.') != std::string::npos)
          if (const auto it = modules.find(std::string_view(base).substr(0, base.rfind('.')));
              it != modules.end())
            for (size_t i : it->second)
              if (!parsed[i])
                needed.insert(i);
    if (words.size() == before && needed.empty())
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
      if (const std::string *found = ClassIndex::resolve(tails, base, full))
        pending.push_back(*found);
  }
  auto index = std::make_shared<ClassIndex>();
  index->judged_.insert(judged.begin(), judged.end());
  // Every class read, so that a name two modules answer to stays ambiguous and a class with a
  // constructor of its own stays known; the key is made of all of them: what they derive from and
  // define, and their other names.
  Hasher key;
  for (const auto &[full, defined] : all) {
    const ClassShape &shape = defined.shape;
    index->classes_.emplace(full, shape);
    add_tails(index->tails_, defined.parts, full, judged);
    key.field(full).field(shape.constructor ? "constructor" : "");
    for (const std::string &base : shape.bases)
      key.field("base").field(base);
    for (const std::string &method : shape.methods)
      key.field("method").field(method);
  }
  for (const std::string &full : reaching)
    index->names_.emplace(last_part(full));
  for (const Reexport &alias : reexports(files, kept, tails, jobs, cache)) {
    add_tails(index->tails_, alias.parts, alias.full, judged);
    if (reaching.contains(alias.full))
      index->names_.insert(alias.parts.back());
    key.field("alias").field(joined(alias.parts.begin(), alias.parts.end())).field(alias.full);
  }
  index->key_ = key.digest().hex();
  return index;
}

const std::string *ClassIndex::resolve(const Tails &tails, std::string_view name,
                                       std::string_view near) {
  const auto it = tails.find(name);
  if (it == tails.end())
    return nullptr;
  if (it->second.size() == 1)
    return &it->second.front();
  // Several modules of the tree answer to the name (the same package path in two services):
  // the one nearest the module that uses it, by the folders they share; a tie is no answer.
  const auto shared = [&](std::string_view full) {
    size_t common = 0;
    for (size_t i = 0; i < std::min(full.size(), near.size()) && full[i] == near[i]; ++i)
      if (full[i] == '.')
        common = i;
    return common;
  };
  const std::string *best = nullptr;
  size_t best_shared = 0;
  bool tie = false;
  for (const std::string &full : it->second) {
    const size_t n = shared(full);
    if (!best || n > best_shared) {
      best = &full;
      best_shared = n;
      tie = false;
    } else if (n == best_shared) {
      tie = true;
    }
  }
  return tie ? nullptr : best;
}

const ClassIndex::Entry *ClassIndex::find(std::string_view qualified, std::string_view near) const {
  if (judged_.contains(qualified))
    return nullptr; // the library's own class, even where a module of the tree shares its name
  const std::string *full = resolve(tails_, qualified, near);
  return full ? &*classes_.find(*full) : nullptr;
}

bool ClassIndex::mentioned(std::string_view text) const { return mentions_any(text, names_); }

} // namespace leash::python
