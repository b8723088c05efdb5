// Which settings govern each file, as ruff decides it: the nearest `.leash.yaml` at or above the
// file's folder (a config inherits another only when it says `extend:`), or, with --config, that
// one file for every path. Each config is loaded once per run, whichever thread asks first.
#pragma once

#include "core/settings.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace leash {

class Workspace {
public:
  // Throws UsageError when `config_file` does not exist.
  Workspace(const Catalog &catalog, Selection selection,
            std::optional<std::filesystem::path> config_file = std::nullopt);
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  const Catalog &catalog() const { return catalog_; }
  // The settings governing `path` (a file, or a folder and what is in it). Throws UsageError for
  // a config file with a mistake in it. Safe to call from several threads.
  const Settings &settings_for(const std::filesystem::path &path) const;

private:
  const Settings &for_folder(const std::filesystem::path &folder) const; // absolute, locked

  const Catalog &catalog_;
  const Selection selection_;
  const std::optional<std::filesystem::path> config_file_;
  mutable std::mutex mutex_;
  mutable std::map<std::filesystem::path, const Settings *> by_folder_;
  mutable std::map<std::filesystem::path, std::unique_ptr<const Settings>> by_file_; // "" : none
};

} // namespace leash
