#include "core/shard.h"

#include "core/cache.h"
#include "core/config.h"
#include "core/hash.h"
#include "core/scan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace leash {

namespace {

// Rough cost in milliseconds: a C++ unit parses its headers (about half a second on our own
// units), other files run at megabytes a second.
double cost_of(const InputFile &file) {
  std::error_code ec;
  const double bytes = static_cast<double>(std::filesystem::file_size(file.path, ec));
  if (file.language == Language::Cpp)
    return 500 + (ec ? 0 : bytes / 2000);
  return ec ? 1 : 1 + bytes / 5000;
}

uint64_t path_hash(const std::string &path) {
  const Digest digest = hash_of(path);
  uint64_t value;
  std::memcpy(&value, digest.bytes.data(), sizeof value);
  return value;
}

} // namespace

Shard parse_shard(std::string_view text) {
  Shard shard;
  const size_t slash = text.find('/');
  const auto number = [&](std::string_view part, int &into) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), into);
    return ec == std::errc() && end == part.data() + part.size();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 1 ||
      shard.index > shard.count)
    throw UsageError(
        fmt::format("--shard: expected K/N with 1 <= K <= N (e.g. 2/4), not `{}`", text));
  return shard;
}

std::vector<InputFile> select_shard(const std::vector<InputFile> &files, Shard shard) {
  const size_t parts = static_cast<size_t>(shard.count);
  std::vector<double> load(parts, 0);
  std::vector<size_t> part_of(files.size());
  std::vector<size_t> units;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].language == Language::Cpp) {
      units.push_back(i);
    } else {
      part_of[i] = path_hash(files[i].display) % parts;
      load[part_of[i]] += cost_of(files[i]);
    }
  }
  // Largest first, each to the part with the least work so far (ties: the lowest part).
  std::vector<std::pair<double, size_t>> by_cost;
  for (size_t i : units)
    by_cost.push_back({cost_of(files[i]), i});
  std::sort(by_cost.begin(), by_cost.end(), [&](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first
                              : files[a.second].display < files[b.second].display;
  });
  for (const auto &[cost, i] : by_cost) {
    const size_t lightest = std::min_element(load.begin(), load.end()) - load.begin();
    part_of[i] = lightest;
    load[lightest] += cost;
  }
  std::vector<InputFile> selected;
  for (size_t i = 0; i < files.size(); ++i)
    if (part_of[i] == static_cast<size_t>(shard.index - 1))
      selected.push_back(files[i]);
  return selected;
}

std::string scan_digest(const std::vector<InputFile> &files) {
  Hasher hash;
  hash.field(Cache::build_identity());
  for (const InputFile &file : files)
    hash.field(file.display).field(to_string(file.language));
  return hash.digest().hex();
}

ScanState merge_shards(std::vector<std::pair<std::string, ScanState>> shards) {
  if (shards.empty())
    throw UsageError("merge: no shard reports");
  const auto &[first_path, first] = shards.front();
  std::vector<std::string> seen(first.shards > 0 ? first.shards : 0);
  for (const auto &[path, state] : shards) {
    if (state.shards < 1 || state.shard < 1 || state.shard > state.shards)
      throw UsageError(fmt::format("{}: not a shard report (made without --shard K/N)", path));
    if (state.shards != first.shards || state.scan_digest != first.scan_digest)
      throw UsageError(fmt::format("{} and {} are shards of different scans (other files, other "
                                   "builds of leash, or another N)",
                                   first_path, path));
    std::string &slot = seen[state.shard - 1];
    if (!slot.empty())
      throw UsageError(
          fmt::format("{} and {} are the same shard {}/{}", slot, path, state.shard, state.shards));
    slot = path;
  }
  std::vector<std::string> missing;
  for (size_t k = 0; k < seen.size(); ++k)
    if (seen[k].empty())
      missing.push_back(fmt::format("{}/{}", k + 1, seen.size()));
  if (!missing.empty())
    throw UsageError(fmt::format("merge: {} {} {} missing: a merge of part of a scan would "
                                 "decide findings across units wrongly",
                                 missing.size() == 1 ? "shard" : "shards", fmt::join(missing, ", "),
                                 missing.size() == 1 ? "is" : "are"));
  ScanState merged;
  for (auto &[path, state] : shards)
    merged.add(std::move(state));
  return merged;
}

} // namespace leash
