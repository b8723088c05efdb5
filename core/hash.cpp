#include "core/hash.h"

#include <llvm-c/blake3.h>

namespace leash {

struct Hasher::State {
  llvm_blake3_hasher hasher;
};

std::string Digest::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Hasher::Hasher() : state_(std::make_unique<State>()) { llvm_blake3_hasher_init(&state_->hasher); }
Hasher::~Hasher() = default;

Hasher &Hasher::add(std::string_view bytes) {
  llvm_blake3_hasher_update(&state_->hasher, bytes.data(), bytes.size());
  return *this;
}

Hasher &Hasher::field(std::string_view bytes) {
  const uint64_t size = bytes.size();
  add({reinterpret_cast<const char *>(&size), sizeof size});
  return add(bytes);
}

Hasher &Hasher::field(const Digest &digest) {
  return field({reinterpret_cast<const char *>(digest.bytes.data()), digest.bytes.size()});
}

Digest Hasher::digest() const {
  Digest out;
  llvm_blake3_hasher_finalize(&state_->hasher, out.bytes.data(), out.bytes.size());
  return out;
}

Digest hash_of(std::string_view bytes) { return Hasher().add(bytes).digest(); }

} // namespace leash
