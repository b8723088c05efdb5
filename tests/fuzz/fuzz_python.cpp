// The Python front end and every Python check, on arbitrary bytes.
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  leash::fuzz::write("app/service.py",
                     std::string_view(reinterpret_cast<const char *>(data), size));
  (void)leash::fuzz::scan_one("app/service.py");
  return 0;
}
