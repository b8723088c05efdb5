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

  // The class a module names `qualified` (app.clients.AppRedis: the module's dotted name, as
  // imported, then the class), its bases qualified in their own module; null when the tree
  // derives no judged class by that name. A module is named by any tail of its file's path
  // (src/app/clients.py: src.app.clients, app.clients, clients).
  const ClassShape *shape(std::string_view qualified) const;
  // Whether a text names one of those classes: a module that mentions none builds none.
  bool mentioned(std::string_view text) const;
  const std::string &key() const override { return key_; }

private:
  // What decides how a class is judged: it and the tree's classes it derives from, as written.
  std::string chain(const std::string &full) const;

  std::map<std::string, ClassShape, std::less<>> classes_; // by full dotted name
  std::map<std::string, std::string, std::less<>> tails_;  // any tail of a full name -> it
  std::set<std::string, std::less<>> names_; // the classes' names, and their packages' for them
  std::string key_;                          // digest of what decides how they are judged
};

} // namespace leash::python
