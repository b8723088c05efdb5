// The result cache: what analyzing a file produced, keyed by everything that decides it (its
// text, path and settings, leash's own build, and for C++ the compile command), plus the files the
// analysis read besides it (a C++ unit's project headers), which must be unchanged for the entry
// to hold. Entries are data, never code: they are read with bounds and checksums, and a corrupt,
// cut-short or foreign entry is ignored (and rebuilt by the scan), never trusted.
//
// A repository cannot plant entries: every key is hashed with a secret of this user's, kept outside
// any project (`$XDG_CACHE_HOME/leash/secret`, else ~/.cache/leash/secret, created on first use),
// so a `.leash-cache` shipped inside a scanned tree matches nothing.
//
// On disk: DIR/<build>/seg-*.bin, one segment per run that produced new entries, written
// atomically and never changed after; several runs may share a folder at once. When segments pile
// up, a run merges them into one, keeping the entries it used and those written in the last 30
// days. Folders of other builds are removed when more than a few were used since. DIR holds a
// CACHEDIR.TAG and a .gitignore.
#pragma once

#include "core/analysis.h"
#include "core/hash.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace leash {

// Dependencies as the cache checks them: the content (or, by_stat, size and time) and the
// governing settings of each.
struct CachedDependency {
  std::string path;
  Digest content;
  Digest settings;
  bool by_stat = false;
};

class Cache {
public:
  // Opens (creating when needed) the cache in `dir`. Never throws: a folder that cannot be made
  // or read gives a cache that finds nothing and keeps nothing; `problem()` says why. Unless the
  // user `chosen` it (--cache-dir, $LEASH_CACHE_DIR), `dir` must be a real folder of this user's.
  explicit Cache(std::filesystem::path dir, bool chosen = false);

  // Adds the user's secret to a key being hashed: keys not sealed so match nothing stored by
  // another user (or shipped in a repository).
  Hasher &seal(Hasher &key) const;

  // The stored result for `key` (sealed), with the dependencies to check before using it.
  struct Entry {
    FileResult result;
    std::vector<CachedDependency> dependencies;
  };
  std::optional<Entry> lookup(const Digest &key);
  void store(const Digest &key, const FileResult &result,
             std::vector<CachedDependency> dependencies);
  // Writes what was stored since the cache was opened (one new segment), and merges segments
  // when there are many. Errors are reported by `problem()`, never thrown: a cache is optional.
  void save();

  const std::string &problem() const { return problem_; }
  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

  // Identifies this build of leash and every library it loaded at start (their GNU build ids; the
  // executable's content when it has none): entries of any other build are foreign. The C/C++
  // module, loaded later, is identified in its units' keys (frontend/cpp/cpp_loader.cpp).
  static const Digest &build_identity();

private:
  struct Record {
    size_t segment;
    size_t offset; // of the record in the segment's bytes
    size_t size;
  };
  void load();
  bool parse_record(size_t segment, size_t offset, size_t size, Digest &key, uint64_t &day,
                    std::string_view &payload) const;
  void compact();
  void forget_old_builds(const std::filesystem::path &dir) const;

  std::filesystem::path dir_; // DIR/<build>
  std::string secret_;
  std::string problem_;
  std::mutex mutex_;
  std::vector<std::filesystem::path> segment_paths_;
  std::vector<std::string> segments_;
  std::unordered_map<Digest, Record, DigestHash> index_;
  std::unordered_set<Digest, DigestHash> used_;
  std::string fresh_; // records stored in this run, in segment form
  size_t fresh_count_ = 0;
  size_t hits_ = 0, misses_ = 0;
};

// This user's cache home: $XDG_CACHE_HOME/leash, else ~/.cache/leash.
std::filesystem::path user_cache_home();

// Where the cache lives by default: `.leash-cache` in `project_root`, else (when that folder
// cannot be written) in user_cache_home() under a name for the project.
std::filesystem::path default_cache_dir(const std::filesystem::path &project_root);

} // namespace leash
