#include "core/serialize.h"

#include <fmt/format.h>

#include <charconv>

namespace leash::serial {

std::string JsonWriter::hex(uint64_t value) { return fmt::format("{:016x}", value); }

void JsonReader::from_json(const Json &json, uint64_t &value) {
  if (!json.is_string())
    throw CorruptInput("expected a hex string");
  const std::string &text = json.get_ref<const std::string &>();
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw CorruptInput("expected a hex string");
}

void JsonReader::from_json(const Json &json, Digest &digest) {
  if (!json.is_string() || json.get_ref<const std::string &>().size() != digest.bytes.size() * 2)
    throw CorruptInput("expected a digest");
  const std::string &text = json.get_ref<const std::string &>();
  for (size_t i = 0; i < digest.bytes.size(); ++i) {
    const auto [end, ec] =
        std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, digest.bytes[i], 16);
    if (ec != std::errc() || end != text.data() + 2 * i + 2)
      throw CorruptInput("expected a digest");
  }
}

} // namespace leash::serial
