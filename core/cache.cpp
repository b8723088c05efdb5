#include "core/cache.h"

#include "core/atomic_file.h"
#include "core/records.h"
#include "leash/version.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <link.h>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace leash {

namespace fs = std::filesystem;

template <class A, Is<CachedDependency> T> void fields(A &a, T &d) {
  a("path", d.path);
  a("content", d.content);
  a("settings", d.settings);
  a("by_stat", d.by_stat);
}

template <class A, Is<Cache::Entry> T> void fields(A &a, T &e) {
  a("result", e.result);
  a("dependencies", e.dependencies);
}

namespace {

constexpr std::string_view kMagic = {"LEASHC\0\1", 8};
constexpr size_t kHeaderSize = kMagic.size() + 16; // magic, then the build identity
constexpr size_t kMaxSegments = 8;
constexpr size_t kMaxBuilds = 4; // other builds' folders kept (a rebuild is another build)
constexpr uint64_t kKeepDays = 30;
constexpr size_t kDigestSize = 16;
constexpr size_t kChecksumSize = 8; // FNV-1a: against damage; keys are what no one can forge

uint64_t today() {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<days>(system_clock::now().time_since_epoch()).count());
}

// A folder the cache may use: a real folder (not a link a repository could plant to send writes
// elsewhere), owned by this user.
bool own_folder(const fs::path &path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode) && info.st_uid == ::geteuid();
}

// A segment's bytes: a regular file (never followed through a link, never a device), of a sane
// size.
std::string read_segment(const fs::path &path) {
  constexpr off_t kMaxSegmentBytes = off_t{1} << 30;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return {};
  std::string bytes;
  struct stat info;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= kMaxSegmentBytes) {
    bytes.resize(static_cast<size_t>(info.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0)
        break;
      done += static_cast<size_t>(n);
    }
    bytes.resize(done);
  }
  ::close(fd);
  return bytes;
}

std::string read_whole(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string segment_header() {
  std::string header(kMagic);
  const Digest &build = Cache::build_identity();
  header.append(reinterpret_cast<const char *>(build.bytes.data()), build.bytes.size());
  return header;
}

// A record: varint size, then key, varint day, payload, and a checksum of all three.
void append_record(std::string &out, const Digest &key, uint64_t day, std::string_view payload) {
  serial::BinaryWriter body;
  body.write(key);
  body.write(day);
  std::string bytes = body.bytes();
  bytes.append(payload);
  const uint64_t checksum = Fnv1a().add(bytes).value();
  serial::BinaryWriter size;
  size.write(static_cast<uint64_t>(bytes.size() + kChecksumSize));
  out += size.bytes();
  out += bytes;
  out.append(reinterpret_cast<const char *>(&checksum), kChecksumSize);
}

} // namespace

const Digest &Cache::build_identity() {
  static const Digest identity = [] {
    Hasher hash;
    hash.field(kVersion);
    bool program_has_id = false;
    struct Context {
      Hasher *hash;
      bool *program_has_id;
    } context{&hash, &program_has_id};
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) {
          auto &[hash, program_has_id] = *static_cast<Context *>(data);
          const bool program = info->dlpi_name == nullptr || *info->dlpi_name == '\0';
          for (int i = 0; i < info->dlpi_phnum; ++i) {
            const ElfW(Phdr) &segment = info->dlpi_phdr[i];
            if (segment.p_type != PT_NOTE)
              continue;
            const char *at = reinterpret_cast<const char *>(info->dlpi_addr + segment.p_vaddr);
            const char *end = at + segment.p_memsz;
            while (at + sizeof(ElfW(Nhdr)) <= end) {
              const auto *note = reinterpret_cast<const ElfW(Nhdr) *>(at);
              const char *name = at + sizeof(ElfW(Nhdr));
              const char *desc = name + ((note->n_namesz + 3) & ~3u);
              if (desc + note->n_descsz > end)
                break;
              if (note->n_type == NT_GNU_BUILD_ID) {
                hash->field(info->dlpi_name ? info->dlpi_name : "").field({desc, note->n_descsz});
                *program_has_id |= program;
              }
              at = desc + ((note->n_descsz + 3) & ~3u);
            }
          }
          return 0;
        },
        &context);
    // A program built without a build id (lld's default) is told by its own bytes.
    if (!program_has_id)
      hash.field(read_whole("/proc/self/exe"));
    return hash.digest();
  }();
  return identity;
}

fs::path user_cache_home() {
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return fs::path(xdg) / "leash";
  if (const char *home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".cache" / "leash";
  return fs::temp_directory_path() / fmt::format("leash-{}", ::getuid());
}

fs::path default_cache_dir(const fs::path &project_root) {
  if (::access(project_root.c_str(), W_OK) == 0)
    return project_root / ".leash-cache";
  return user_cache_home() / hash_of(fs::absolute(project_root).string()).hex().substr(0, 16);
}

namespace {

// The user's secret (see cache.h): read, or made once (readable by the user alone). Empty when
// it can be neither: the cache is then off.
std::string user_secret(std::string &problem) {
  const fs::path home = user_cache_home();
  const fs::path path = home / "secret";
  constexpr size_t kSize = 32;
  std::string secret = read_whole(path);
  if (secret.size() == kSize)
    return secret;
  std::error_code ec;
  fs::create_directories(home, ec);
  std::random_device random;
  secret.clear();
  while (secret.size() < kSize) {
    const unsigned int bits = random();
    secret.append(reinterpret_cast<const char *>(&bits), sizeof bits);
  }
  secret.resize(kSize);
  const fs::path temp = home / fmt::format(".secret.{}", ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const bool written = fd >= 0 && ::write(fd, secret.data(), kSize) == static_cast<ssize_t>(kSize);
  if (fd >= 0)
    ::close(fd);
  // Another run may have made one meanwhile: the first one in place is everyone's.
  if (!written || ::link(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    secret = read_whole(path);
    if (secret.size() != kSize) {
      problem = fmt::format("{}: cannot keep the cache's secret there", path.string());
      return {};
    }
    return secret;
  }
  ::unlink(temp.c_str());
  return secret;
}

} // namespace

Cache::Cache(fs::path dir, bool chosen) {
  secret_ = user_secret(problem_);
  if (secret_.empty())
    return;
  std::error_code ec;
  const bool fresh = !fs::exists(fs::symlink_status(dir, ec));
  fs::create_directories(dir, ec);
  if (ec) {
    problem_ = fmt::format("{}: cannot create the cache folder: {}", dir.string(), ec.message());
    return;
  }
  // A default location lies in the scanned tree, which may hold a link (or a folder) made to
  // point leash's writes and removals elsewhere: it must be a folder of this user's.
  if (!chosen && !own_folder(dir)) {
    problem_ = fmt::format("{}: not a folder of this user's (a link?): not used", dir.string());
    return;
  }
  if (fresh) { // tell backup tools and git that this is a cache
    std::ofstream(dir / "CACHEDIR.TAG")
        << "Signature: 8a477f597d28d172789f06886806bc55\n# leash's result cache: see "
           "https://bford.info/cachedir/\n";
    std::ofstream(dir / ".gitignore") << "# leash's result cache\n*\n";
  }
  dir_ = dir / build_identity().hex();
  fs::create_directories(dir_, ec);
  if (ec || !own_folder(dir_)) {
    problem_ = fmt::format("{}: cannot use the cache folder: {}", dir_.string(),
                           ec ? ec.message() : "not a folder of this user's (a link?)");
    dir_.clear();
    return;
  }
  forget_old_builds(dir);
  load();
}

// Each build of leash has a folder of its own: all but the few used last are removed.
void Cache::forget_old_builds(const fs::path &dir) const {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> builds;
  for (const auto &entry : fs::directory_iterator(dir, ec))
    if (entry.path() != dir_ && entry.path().filename().string().size() == 2 * kDigestSize &&
        own_folder(entry.path())) // never a link, followed by remove_all
      builds.emplace_back(fs::last_write_time(entry.path(), ec), entry.path());
  if (builds.size() <= kMaxBuilds)
    return;
  std::sort(builds.begin(), builds.end());
  for (size_t i = 0; i + kMaxBuilds < builds.size(); ++i)
    fs::remove_all(builds[i].second, ec); // another run may be removing it too
}

void Cache::load() {
  std::error_code ec;
  const std::string header = segment_header();
  for (const auto &entry : fs::directory_iterator(dir_, ec)) {
    const fs::path &path = entry.path();
    if (!path.filename().string().starts_with("seg-") || path.extension() != ".bin")
      continue;
    std::string bytes = read_segment(path); // one another run is removing reads as empty
    if (!bytes.starts_with(header))
      continue; // foreign or damaged: ignored, and merged away
    const size_t segment = segments_.size();
    segment_paths_.push_back(path);
    segments_.push_back(std::move(bytes));
    std::string_view all = segments_.back();
    for (size_t at = kHeaderSize; at < all.size();) {
      serial::BinaryReader reader(all.substr(at));
      uint64_t size;
      try {
        reader.read(size);
      } catch (const CorruptInput &) {
        break;
      }
      const size_t start = at + reader.position();
      if (size < kDigestSize + kChecksumSize || size > all.size() - start)
        break; // cut short: the rest of the segment is lost, never trusted
      Digest key;
      std::memcpy(key.bytes.data(), all.data() + start, kDigestSize);
      index_[key] = {segment, start, static_cast<size_t>(size)}; // a later record wins
      at = start + size;
    }
  }
  if (ec)
    problem_ = fmt::format("{}: cannot read the cache folder: {}", dir_.string(), ec.message());
  // This run's own records: a segment in memory, written by save().
  segment_paths_.emplace_back();
  segments_.push_back(header);
}

bool Cache::parse_record(size_t segment, size_t offset, size_t size, Digest &key, uint64_t &day,
                         std::string_view &payload) const {
  const std::string_view record = std::string_view(segments_[segment]).substr(offset, size);
  if (record.size() != size || size < kDigestSize + kChecksumSize)
    return false;
  const std::string_view body = record.substr(0, size - kChecksumSize);
  uint64_t checksum;
  std::memcpy(&checksum, record.data() + body.size(), kChecksumSize);
  if (Fnv1a().add(body).value() != checksum)
    return false;
  try {
    serial::BinaryReader reader(body);
    reader.read(key);
    reader.read(day);
    payload = body.substr(reader.position());
  } catch (const CorruptInput &) {
    return false;
  }
  return true;
}

Hasher &Cache::seal(Hasher &key) const { return key.field(secret_); }

std::optional<Cache::Entry> Cache::lookup(const Digest &key) {
  if (dir_.empty())
    return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it != index_.end()) {
    Digest stored;
    uint64_t day;
    std::string_view payload;
    if (parse_record(it->second.segment, it->second.offset, it->second.size, stored, day,
                     payload) &&
        stored == key) {
      try {
        serial::BinaryReader reader(payload);
        Entry entry;
        reader.read(entry);
        if (reader.done()) {
          used_.insert(key);
          ++hits_;
          return entry;
        }
      } catch (const CorruptInput &) {
      }
    }
    index_.erase(it); // damaged: never trusted, and rebuilt by the caller
  }
  ++misses_;
  return std::nullopt;
}

void Cache::store(const Digest &key, const FileResult &result,
                  std::vector<CachedDependency> dependencies) {
  if (dir_.empty())
    return;
  serial::BinaryWriter payload;
  payload.write(Entry{result, std::move(dependencies)});
  std::lock_guard lock(mutex_);
  std::string &own = segments_.back();
  const size_t before = own.size();
  append_record(own, key, today(), payload.bytes());
  serial::BinaryReader reader(std::string_view(own).substr(before));
  uint64_t size;
  reader.read(size);
  index_[key] = {segments_.size() - 1, before + reader.position(), static_cast<size_t>(size)};
  used_.insert(key);
  ++fresh_count_;
}

void Cache::save() {
  std::lock_guard lock(mutex_);
  if (dir_.empty())
    return;
  std::error_code ec;
  fs::last_write_time(dir_, fs::file_time_type::clock::now(), ec); // used: see forget_old_builds
  const size_t on_disk = segments_.size() - 1;
  if (fresh_count_ == 0 && on_disk <= kMaxSegments)
    return;
  static std::mt19937_64 random{std::random_device{}()};
  const fs::path target = dir_ / fmt::format("seg-{}-{:016x}.bin", ::getpid(), random());
  try {
    if (on_disk + 1 > kMaxSegments) {
      compact();
      write_file_atomically(target, segments_.back(), Durability::Unsynced);
      for (size_t i = 0; i < on_disk; ++i)
        fs::remove(segment_paths_[i], ec); // another run may have merged it already
    } else {
      write_file_atomically(target, segments_.back(), Durability::Unsynced);
    }
    fresh_count_ = 0;
  } catch (const std::exception &e) {
    problem_ = e.what();
  }
}

// Rewrites this run's segment to hold every entry worth keeping: those used in this run and those
// written in the last kKeepDays days, each key once.
void Cache::compact() {
  const uint64_t now = today();
  std::string merged = segment_header();
  for (const auto &[key, record] : index_) {
    Digest stored;
    uint64_t day;
    std::string_view payload;
    if (!parse_record(record.segment, record.offset, record.size, stored, day, payload))
      continue;
    const bool used = used_.contains(key);
    if (used || day + kKeepDays >= now)
      append_record(merged, key, used ? now : day, payload);
  }
  segments_.back() = std::move(merged);
  index_.clear(); // offsets changed; this cache's run is over
}

} // namespace leash
