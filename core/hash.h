// Content hashes for the result cache: BLAKE2b (libb2) with a 128-bit digest. A cryptographic hash,
// so that a scanned repository cannot craft a file whose cached verdict is another file's.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace leash {

struct Digest {
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const Digest &) const = default;
  std::string hex() const;
};

class Hasher {
public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher &) = delete;
  Hasher &operator=(const Hasher &) = delete;

  // Adds raw bytes.
  Hasher &add(std::string_view bytes);
  // Adds one field of a record: its length, then its bytes, so ("ab", "c") and ("a", "bc") differ.
  Hasher &field(std::string_view bytes);
  Hasher &field(const Digest &digest);
  Digest digest() const;

private:
  struct State;
  std::unique_ptr<State> state_;
};

Digest hash_of(std::string_view bytes);

// FNV-1a, 64 bits: a fast hash for what no one crafts (fingerprints, checksums against damage).
class Fnv1a {
public:
  Fnv1a &add(std::string_view bytes) {
    for (char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
    return *this;
  }
  uint64_t value() const { return hash_; }

private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

struct DigestHash {
  size_t operator()(const Digest &d) const {
    size_t h;
    static_assert(sizeof h <= sizeof d.bytes);
    __builtin_memcpy(&h, d.bytes.data(), sizeof h);
    return h;
  }
};

} // namespace leash
