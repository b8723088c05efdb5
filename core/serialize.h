// One list of fields per type, read and written by two kinds of archive: a compact binary form for
// the result cache, and JSON for the scan state that shard reports carry to `leash merge`. Readers
// never trust their input: a value out of bounds, cut short or of the wrong type throws
// CorruptInput, never reads past the end.
#pragma once

#include "core/hash.h"

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace leash {

class CorruptInput : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace serial {

struct Probe {
  template <class T> void operator()(std::string_view, T &&) {}
};

// A type with a field list: `fields(archive, value)`, found by argument-dependent lookup.
template <class T>
concept Record =
    requires(std::remove_const_t<T> &value, Probe &archive) { fields(archive, value); };

class BinaryWriter {
public:
  template <class T> void operator()(std::string_view, const T &value) { write(value); }
  const std::string &bytes() const { return out_; }

  void write(uint64_t value) { // LEB128
    do {
      const uint8_t low = value & 0x7f;
      value >>= 7;
      out_ += static_cast<char>(low | (value ? 0x80 : 0));
    } while (value);
  }
  void write(int value) { write(static_cast<uint64_t>(static_cast<uint32_t>(value))); }
  void write(bool value) { write(static_cast<uint64_t>(value)); }
  template <class E>
    requires std::is_enum_v<E>
  void write(E value) {
    write(static_cast<uint64_t>(value));
  }
  void write(std::string_view text) {
    write(static_cast<uint64_t>(text.size()));
    out_.append(text);
  }
  void write(const std::string &text) { write(std::string_view(text)); }
  void write(const Digest &digest) {
    out_.append(reinterpret_cast<const char *>(digest.bytes.data()), digest.bytes.size());
  }
  template <class T> void write(const std::vector<T> &items) {
    write(static_cast<uint64_t>(items.size()));
    for (const T &item : items)
      write(item);
  }
  template <class T> void write(const std::optional<T> &value) {
    write(value.has_value());
    if (value)
      write(*value);
  }
  template <Record T> void write(const T &record) { fields(*this, record); }

private:
  std::string out_;
};

class BinaryReader {
public:
  explicit BinaryReader(std::string_view in) : in_(in) {}
  template <class T> void operator()(std::string_view, T &value) { read(value); }
  bool done() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }

  void read(uint64_t &value) {
    value = 0;
    for (int shift = 0;; shift += 7) {
      if (pos_ >= in_.size() || shift > 63)
        throw CorruptInput("cut short");
      const uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return;
    }
  }
  void read(int &value) {
    uint64_t raw;
    read(raw);
    if (raw > UINT32_MAX)
      throw CorruptInput("number out of range");
    value = static_cast<int>(static_cast<uint32_t>(raw));
  }
  void read(bool &value) {
    uint64_t raw;
    read(raw);
    if (raw > 1)
      throw CorruptInput("not a boolean");
    value = raw == 1;
  }
  template <class E>
    requires std::is_enum_v<E>
  void read(E &value) {
    uint64_t raw;
    read(raw);
    if (raw > 16)
      throw CorruptInput("enum out of range");
    value = static_cast<E>(raw);
  }
  void read(std::string &text) {
    uint64_t size;
    read(size);
    if (size > in_.size() - pos_)
      throw CorruptInput("string cut short");
    text.assign(in_.substr(pos_, size));
    pos_ += size;
  }
  void read(Digest &digest) {
    if (digest.bytes.size() > in_.size() - pos_)
      throw CorruptInput("digest cut short");
    std::memcpy(digest.bytes.data(), in_.data() + pos_, digest.bytes.size());
    pos_ += digest.bytes.size();
  }
  template <class T> void read(std::vector<T> &items) {
    uint64_t size;
    read(size);
    if (size > in_.size() - pos_) // every item takes at least one byte
      throw CorruptInput("list cut short");
    items.clear();
    items.resize(size);
    for (T &item : items)
      read(item);
  }
  template <class T> void read(std::optional<T> &value) {
    bool present;
    read(present);
    value.reset();
    if (present)
      read(value.emplace());
  }
  template <Record T> void read(T &record) { fields(*this, record); }

private:
  std::string_view in_;
  size_t pos_ = 0;
};

using Json = nlohmann::ordered_json;

class JsonWriter {
public:
  explicit JsonWriter(Json &object) : object_(object) {}
  template <class T> void operator()(std::string_view name, const T &value) {
    object_[std::string(name)] = to_json(value);
  }

  static Json to_json(uint64_t value) { return hex(value); } // beyond JavaScript's numbers
  static Json to_json(int value) { return value; }
  static Json to_json(bool value) { return value; }
  template <class E>
    requires std::is_enum_v<E>
  static Json to_json(E value) {
    return static_cast<int>(value);
  }
  static Json to_json(const std::string &text) { return text; }
  static Json to_json(const Digest &digest) { return digest.hex(); }
  template <class T> static Json to_json(const std::vector<T> &items) {
    Json out = Json::array();
    for (const T &item : items)
      out.push_back(to_json(item));
    return out;
  }
  template <class T> static Json to_json(const std::optional<T> &value) {
    return value ? to_json(*value) : Json();
  }
  template <Record T> static Json to_json(const T &record) {
    Json out = Json::object();
    JsonWriter writer(out);
    fields(writer, record);
    return out;
  }

private:
  static std::string hex(uint64_t value);
  Json &object_;
};

class JsonReader {
public:
  explicit JsonReader(const Json &object) : object_(object) {}
  template <class T> void operator()(std::string_view name, T &value) {
    const auto it = object_.find(std::string(name));
    if (it == object_.end())
      throw CorruptInput("missing `" + std::string(name) + "`");
    from_json(*it, value);
  }

  static void from_json(const Json &json, uint64_t &value);
  static void from_json(const Json &json, int &value) {
    if (!json.is_number_integer())
      throw CorruptInput("expected a whole number");
    value = json.get<int>();
  }
  static void from_json(const Json &json, bool &value) {
    if (!json.is_boolean())
      throw CorruptInput("expected true or false");
    value = json.get<bool>();
  }
  template <class E>
    requires std::is_enum_v<E>
  static void from_json(const Json &json, E &value) {
    int raw;
    from_json(json, raw);
    if (raw < 0 || raw > 16)
      throw CorruptInput("enum out of range");
    value = static_cast<E>(raw);
  }
  static void from_json(const Json &json, std::string &text) {
    if (!json.is_string())
      throw CorruptInput("expected a string");
    text = json.get<std::string>();
  }
  static void from_json(const Json &json, Digest &digest);
  template <class T> static void from_json(const Json &json, std::vector<T> &items) {
    if (!json.is_array())
      throw CorruptInput("expected a list");
    items.clear();
    items.resize(json.size());
    for (size_t i = 0; i < json.size(); ++i)
      from_json(json[i], items[i]);
  }
  template <class T> static void from_json(const Json &json, std::optional<T> &value) {
    value.reset();
    if (!json.is_null())
      from_json(json, value.emplace());
  }
  template <Record T> static void from_json(const Json &json, T &record) {
    if (!json.is_object())
      throw CorruptInput("expected an object");
    JsonReader reader(json);
    fields(reader, record);
  }

private:
  const Json &object_;
};

} // namespace serial

} // namespace leash
