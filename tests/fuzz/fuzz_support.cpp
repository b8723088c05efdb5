#include "tests/fuzz/fuzz_support.h"

#include "core/config.h"
#include "core/workspace.h"
#include "report/report.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unistd.h>

namespace leash::fuzz {

namespace fs = std::filesystem;

const fs::path &scratch() {
  static const fs::path folder = [] {
    fs::path path = fs::temp_directory_path() / ("leash-fuzz-" + std::to_string(getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
    std::atexit([] {
      std::error_code ec;
      fs::current_path(fs::temp_directory_path(ec), ec);
      fs::remove_all(fs::temp_directory_path(ec) / ("leash-fuzz-" + std::to_string(getpid())), ec);
    });
    fs::current_path(path); // display paths are relative to it, as in a real run
    return fs::canonical(path);
  }();
  return folder;
}

fs::path write(std::string_view relative, std::string_view bytes) {
  const fs::path file = scratch() / relative;
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + file.string());
  return file;
}

ScanResult scan_one(std::string_view relative, bool with_config) {
  const Catalog &catalog = Catalog::builtin();
  std::optional<fs::path> config;
  if (with_config)
    config = scratch() / kConfigFileName;
  // A fresh workspace each time: its settings are cached per folder, and a config changes. Every
  // rule runs, opt-in ones included.
  const Workspace workspace(catalog, Selection{std::nullopt, {}, catalog.ids()}, config);
  const RunContext run{workspace, {scratch()}, std::nullopt, {}};
  const std::vector<InputFile> files = discover_files({scratch() / relative}, workspace);
  ScanOptions options;
  options.jobs = 1;
  ScanResult result = decide(scan(files, run, options));
  ReportContext context;
  context.settings = &workspace.settings_for(scratch());
  context.source_root = scratch();
  (void)format_json(result, context);
  (void)format_sarif(result, context);
  const std::string text = format_text(result, context);
  if (std::getenv("LEASH_FUZZ_VERBOSE")) // to see what an input does: the text report
    fmt::print(stderr, "{} file(s) scanned, {} analyzed, {} findings\n{}", files.size(),
               result.stats.analyzed, result.findings.size(), text);
  return result;
}

} // namespace leash::fuzz
