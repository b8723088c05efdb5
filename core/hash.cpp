#include "core/hash.h"

#include <blake2.h>

namespace leash {

struct Hasher::State {
  blake2b_state hasher;
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

Hasher::Hasher() : state_(std::make_unique<State>()) {
  blake2b_init(&state_->hasher, Digest().bytes.size());
}
Hasher::~Hasher() = default;

Hasher &Hasher::add(std::string_view bytes) {
  blake2b_update(&state_->hasher, reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
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
  blake2b_state copy = state_->hasher; // finishing a BLAKE2 state consumes it
  blake2b_final(&copy, out.bytes.data(), out.bytes.size());
  return out;
}

Digest hash_of(std::string_view bytes) { return Hasher().add(bytes).digest(); }

} // namespace leash
