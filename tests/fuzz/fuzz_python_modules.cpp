// The Python front end across modules: the class index (bases resolved by import, relative
// import, dotted tail and package re-export), and every Python check judging a class another
// module derives. The input is split at kSeparator lines into modules at fixed paths, two of
// which share a dotted tail (`clients`), so ambiguous names are reached too.
#include "tests/fuzz/fuzz_support.h"

#include <array>
#include <filesystem>

namespace {

constexpr std::string_view kSeparator = "\n#---\n";
constexpr std::array<std::string_view, 7> kModules = {
    "proj/app/__init__.py",     "proj/app/clients.py",   "proj/app/service.py",
    "proj/app/sub/__init__.py", "proj/app/sub/store.py", "proj/lib/clients.py",
    "proj/lib/redis.py"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view rest(reinterpret_cast<const char *>(data), size);
  std::filesystem::remove_all(leash::fuzz::scratch() / "proj"); // the previous input's modules
  for (std::string_view path : kModules) {
    const size_t end = rest.find(kSeparator);
    leash::fuzz::write(path, rest.substr(0, end));
    if (end == std::string_view::npos)
      break;
    rest.remove_prefix(end + kSeparator.size());
  }
  (void)leash::fuzz::scan_one("proj");
  return 0;
}
