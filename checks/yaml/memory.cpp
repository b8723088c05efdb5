#include "checks/yaml/memory.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace leash::yaml {

namespace {

// Consumes <digits>[.<digits>] (either side may be empty, not both); false when no digit.
bool take_number(std::string_view &text, std::string &number) {
  size_t i = 0;
  bool digit = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    ++i, digit = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i, digit = true;
  }
  number = std::string(text.substr(0, i));
  text.remove_prefix(i);
  return digit;
}

// The number's value; an overflow is infinite (the size is absurd, not absent), an underflow 0.
double to_double(const std::string &number) {
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc::result_out_of_range)
    return number.substr(0, number.find('.')).find_first_of("123456789") == std::string::npos
               ? 0 // 0.000…1: too small to tell from 0
               : HUGE_VAL;
  return value;
}

} // namespace

std::optional<MemoryQuantity> parse_memory_quantity(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::string number;
  if (!take_number(text, number))
    return std::nullopt;
  double value = to_double(number);
  static const std::pair<std::string_view, double> kSuffixes[] = {
      {"Ki", 0x1p10}, {"Mi", 0x1p20}, {"Gi", 0x1p30}, {"Ti", 0x1p40},
      {"Pi", 0x1p50}, {"Ei", 0x1p60}, {"n", 1e-9},    {"u", 1e-6},
      {"m", 1e-3},    {"", 1},        {"k", 1e3},     {"M", 1e6},
      {"G", 1e9},     {"T", 1e12},    {"P", 1e15},    {"E", 1e18}};
  MemoryQuantity quantity;
  quantity.suffix = std::string(text);
  bool known = false;
  for (const auto &[suffix, scale] : kSuffixes)
    if (text == suffix) {
      value *= scale;
      known = true;
      break;
    }
  if (!known && text.size() >= 2 && (text[0] == 'e' || text[0] == 'E')) {
    std::string_view exponent = text.substr(1);
    bool exponent_negative = false;
    if (exponent.front() == '+' || exponent.front() == '-') {
      exponent_negative = exponent.front() == '-';
      exponent.remove_prefix(1);
    }
    if (exponent.empty() || exponent.size() > 4)
      return std::nullopt;
    for (char c : exponent)
      if (!std::isdigit(static_cast<unsigned char>(c)))
        return std::nullopt;
    if (value != 0)
      value *= std::pow(10.0, (exponent_negative ? -1 : 1) * to_double(std::string(exponent)));
    known = true;
  }
  if (!known)
    return std::nullopt;
  quantity.bytes = negative ? -value : value;
  return quantity;
}

std::optional<double> parse_docker_bytes(std::string_view text) {
  // go-units: the number runs to the last digit, dot or space; one space may separate the unit.
  const size_t separator = text.find_last_of("0123456789. ");
  if (separator == std::string_view::npos)
    return std::nullopt;
  std::string_view number_text = text.substr(0, separator + 1);
  std::string_view unit = text.substr(separator + 1);
  if (text[separator] == ' ')
    number_text.remove_suffix(1);
  std::string number;
  std::string_view rest = number_text;
  if (!take_number(rest, number) || !rest.empty())
    return std::nullopt;
  const double value = to_double(number);
  if (unit.empty())
    return value;
  if (unit.size() > 3)
    return std::nullopt;
  std::string lower;
  for (char c : unit)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower[0] == 'b')
    return lower.size() == 1 ? std::optional<double>(value) : std::nullopt;
  static const std::string_view kUnits = "kmgtp";
  const size_t power = kUnits.find(lower[0]);
  if (power == std::string_view::npos)
    return std::nullopt;
  if ((lower.size() == 2 && lower[1] != 'b') || (lower.size() == 3 && lower.substr(1) != "ib"))
    return std::nullopt;
  return value * std::pow(1024.0, static_cast<double>(power + 1));
}

std::optional<std::string> docker_size(std::string_view kube_quantity) {
  const auto quantity = parse_memory_quantity(kube_quantity);
  if (!quantity || quantity->bytes < 1 || quantity->bytes != std::floor(quantity->bytes) ||
      quantity->bytes > 0x1p62)
    return std::nullopt;
  const auto bytes = static_cast<uint64_t>(quantity->bytes);
  for (const auto &[unit, size] :
       {std::pair{"g", 1ull << 30}, {"m", 1ull << 20}, {"k", 1ull << 10}})
    if (bytes % size == 0)
      return std::to_string(bytes / size) + unit;
  return std::to_string(bytes);
}

bool is_templated(std::string_view text) {
  return text.find('$') != std::string_view::npos || text.find("{{") != std::string_view::npos;
}

} // namespace leash::yaml
