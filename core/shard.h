// `--shard K/N`: one of N parts of a scan's files, for a CI matrix. The parts are stable (the
// same files give the same parts on every machine) and balanced: files are spread by a hash of
// their path, and C++ units, which cost far more each, are dealt out by size to the lightest part.
#pragma once

#include "core/discovery.h"

#include <string_view>
#include <vector>

namespace leash {

struct Shard {
  int index = 1; // 1-based
  int count = 1;
};

// Parses "K/N" (1 <= K <= N); throws UsageError.
Shard parse_shard(std::string_view text);

// The files of `shard`, in their order.
std::vector<InputFile> select_shard(const std::vector<InputFile> &files, Shard shard);

// What identifies a whole scan's files (and leash's build), for telling its shards apart from
// another scan's.
std::string scan_digest(const std::vector<InputFile> &files);

struct ScanState;
// Checks that `shards` are every shard of one scan, each once (UsageError naming the reports
// otherwise), then adds them up.
ScanState merge_shards(std::vector<std::pair<std::string, ScanState>> shards);

} // namespace leash
