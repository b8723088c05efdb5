// The YAML front end, the compose and Kubernetes models and every YAML check, on arbitrary bytes
// under the file names that route them (a compose name, or any manifest).
#include "tests/fuzz/fuzz_support.h"

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static constexpr std::array<const char *, 4> kNames = {"docker-compose.yml", "deploy/app.yaml",
                                                         "compose.override.yaml", "k8s/redis.yml"};
  // The name comes from the size, so that seed files are read as they are.
  const char *name = kNames[size % kNames.size()];
  leash::fuzz::write(name, std::string_view(reinterpret_cast<const char *>(data), size));
  (void)leash::fuzz::scan_one(name);
  return 0;
}
