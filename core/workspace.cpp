#include "core/workspace.h"

#include "core/discovery.h"

#include <fmt/format.h>

namespace leash {

namespace fs = std::filesystem;

Workspace::Workspace(const Catalog &catalog, Selection selection,
                     std::optional<fs::path> config_file)
    : catalog_(catalog), selection_(std::move(selection)), config_file_(std::move(config_file)) {
  std::error_code ec;
  if (config_file_ && !fs::is_regular_file(*config_file_, ec))
    throw UsageError(fmt::format("{}: config file not found", config_file_->string()));
}

const Settings &Workspace::settings_for(const fs::path &path) const {
  std::error_code ec;
  fs::path folder = fs::absolute(path, ec).lexically_normal();
  if (folder.filename().empty())
    folder = folder.parent_path(); // "a/b/" names the folder b
  if (!fs::is_directory(folder, ec))
    folder = folder.parent_path();
  std::lock_guard lock(mutex_);
  return for_folder(folder);
}

const Settings &Workspace::for_folder(const fs::path &folder) const {
  if (auto it = by_folder_.find(folder); it != by_folder_.end())
    return *it->second;
  // The explicit file, else this folder's own config, else its parent's answer.
  std::optional<fs::path> file = config_file_;
  std::error_code ec;
  if (!file && fs::is_regular_file(folder / kConfigFileName, ec))
    file = folder / kConfigFileName;
  const Settings *settings = nullptr;
  if (!file && folder.has_relative_path()) {
    settings = &for_folder(folder.parent_path());
  } else {
    const fs::path key = file ? fs::absolute(*file).lexically_normal() : fs::path();
    auto &loaded = by_file_[key];
    if (!loaded) {
      Config config;
      if (file) {
        config = load_config(display_path(*file), catalog_); // errors name it as users do
      } else {
        config.root = fs::current_path(ec);
      }
      loaded = std::make_unique<const Settings>(catalog_, config, selection_);
    }
    settings = loaded.get();
  }
  by_folder_.emplace(folder, settings);
  return *settings;
}

} // namespace leash
