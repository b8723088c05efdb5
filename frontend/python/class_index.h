// The classes a scanned tree derives from the client classes Python checks judge
// (`class AppRedis(redis.asyncio.Redis)` in app/clients.py), so that a module that imports one
// (`from app.clients import AppRedis`, `from .clients import AppRedis`) builds it as its base is.
// Made once per scan from every Python file (Frontend::index), before any is analyzed.
#pragma once

#include "core/analysis.h"
#include "frontend/python/module.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace leash::python {

class ClassIndex final : public TreeIndex {
public:
  // Null when no file's enabled checks judge a class, or the tree derives none from one. What it
  // reads of a module is kept in `cache` (when there is one) by the module's text.
  static std::shared_ptr<const ClassIndex> build(const std::vector<const InputFile *> &files,
                                                 int jobs, Cache *cache);

  // The class a module names `qualified` (app.clients.AppRedis: a module's dotted name, as
  // imported, then the class; a module is named by any tail of its file's absolute path, so
  // src/app/clients.py is src.app.clients, app.clients and clients), with its full name; `near`
  // is the full name of the module that names it, which picks among several modules answering to
  // the same name. Null when the tree derives no judged class by that name, for a name several
  // modules answer to equally, and for a judged class's own name (redis.Redis).
  using Entry = std::pair<const std::string, ClassShape>;
  const Entry *find(std::string_view qualified, std::string_view near) const;
  // Whether a text names one of those classes: a module that mentions none builds none.
  bool mentioned(std::string_view text) const;
  const std::string &key() const override { return key_; }

  // The names each class of the tree answers to (see find), and the one of `name`'s classes
  // nearest `near` (sharing the most folders; a tie is none).
  using Tails = std::map<std::string, std::vector<std::string>, std::less<>>;
  static const std::string *resolve(const Tails &tails, std::string_view name,
                                    std::string_view near);

private:
  std::map<std::string, ClassShape, std::less<>> classes_; // by full dotted name
  Tails tails_;
  std::set<std::string, std::less<>> judged_;
  std::set<std::string, std::less<>> names_; // the classes' names, and their packages' for them
  std::string key_;                          // digest of what decides how they are judged
};

} // namespace leash::python
