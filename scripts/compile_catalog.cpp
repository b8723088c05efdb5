// Writes OUTPUT, a C++ file defining Catalog::builtin() over the rule catalog parsed and checked
// here, at build time, and stored as data (Catalog::to_data): a run reads that instead of parsing
// rules/*.yaml again, which took most of a pre-commit-sized run. A mistake in the catalog fails
// the build with the message `leash rules --check` gives (file, line and column). Run by the
// build (see CMakeLists.txt).
#include "core/catalog.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fputs("usage: leash_compile_catalog OUTPUT\n", stderr);
    return 2;
  }
  std::vector<std::uint8_t> data;
  try {
    data = leash::Catalog::parse(leash::embedded_rules()).to_data();
  } catch (const leash::CatalogError &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  std::string bytes;
  for (size_t i = 0; i < data.size(); ++i)
    bytes += fmt::format("{}{}", data[i], i % 24 == 23 ? ",\n    " : ", ");
  const std::string text = fmt::format(
      R"(// Generated from rules/*.yaml by scripts/compile_catalog.cpp. Do not edit.
#include "core/catalog.h"

namespace leash {{
namespace {{
const std::uint8_t kCatalog[] = {{
    {}}};
}} // namespace

const Catalog &Catalog::builtin() {{
  static const Catalog catalog = from_data(kCatalog, sizeof kCatalog, embedded_rules());
  return catalog;
}}
}} // namespace leash
)",
      bytes);
  // Written only when it changes (what depends on it is not rebuilt otherwise), and atomically.
  const std::filesystem::path output = argv[1];
  std::ifstream old(output, std::ios::binary);
  if (old && std::string(std::istreambuf_iterator<char>(old), {}) == text)
    return 0;
  const std::filesystem::path temporary = output.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::fprintf(stderr, "error: cannot write %s\n", temporary.c_str());
      return 1;
    }
  }
  std::filesystem::rename(temporary, output);
  return 0;
}
