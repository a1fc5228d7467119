#include "cache/file_digest.h"

#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "cache/cache_dir.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

// Device + inode name the file independently of the path spelling; size and
// nanosecond mtime/ctime change whenever its bytes are rewritten.
using Signature = std::tuple<dev_t, ino_t, off_t, long long, long long>;

struct Memo {
  std::mutex mutex;
  std::map<Signature, std::string> digests;
  std::atomic<long long> computed{0};
};

Memo& memo() {
  static Memo m;
  return m;
}

long long nanoseconds(const timespec& t) { return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec; }

// Below this size hashing the file costs about what an index lookup does (open +
// read of a small file), and indexing would double the files a cold run creates.
constexpr off_t kIndexMinBytes = off_t(1) << 20;

bool is_digest(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The on-disk index: one small file per (path, stat signature), holding the digest.
class DiskIndex {
 public:
  DiskIndex(const std::string& cache_dir, const std::string& path, const Signature& sig) : cache_dir_(cache_dir) {
    std::error_code ec;
    const std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
    const std::string key = sha256_hex(fmt::format("{}\n{}:{}:{}:{}:{}", abs, std::get<0>(sig), std::get<1>(sig),
                                                   std::get<2>(sig), std::get<3>(sig), std::get<4>(sig)));
    entry_ = (std::filesystem::path(cache_dir) / "digests" / "v1" / key.substr(0, 2) / key).string();
  }

  std::optional<std::string> find() const {
    std::error_code ec;
    if (!std::filesystem::exists(entry_, ec)) return std::nullopt;
    try {
      std::string text = read_file(entry_);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      if (is_digest(text)) return text;
    } catch (const Error&) {
    }
    std::filesystem::remove(entry_, ec);  // damaged: drop it, the file gets hashed again
    return std::nullopt;
  }

  // Best effort: a read-only or full cache only costs the next run a re-hash.
  void record(const std::string& digest) const {
    try {
      prepare_cache_dir(cache_dir_);
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(entry_).parent_path(), ec);
      AtomicFile out(entry_);
      out.write(digest + "\n");
      out.commit(/*flush_to_disk=*/false);  // a torn entry fails is_digest and is dropped
    } catch (const Error&) {
    }
  }

 private:
  std::string cache_dir_;
  std::string entry_;
};

// A file modified within the last seconds may still be being written, and on a
// coarse-timestamp filesystem a second write could keep its mtime: don't record it yet.
bool settled(const struct stat& st) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const long long now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  return now_ns - nanoseconds(st.st_mtim) > 2000000000LL;
}

}  // namespace

std::string file_sha256_cached(const std::string& path, const std::string& cache_dir) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw Error(fmt::format("{}: cannot read ({}). Check that the file exists.", path, std::strerror(errno)));
  const Signature sig{st.st_dev, st.st_ino, st.st_size, nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
  Memo& m = memo();
  {
    std::lock_guard<std::mutex> lock(m.mutex);
    auto it = m.digests.find(sig);
    if (it != m.digests.end()) return it->second;
  }
  // Outside the lock: workers look up and hash in parallel.
  std::optional<DiskIndex> index;
  if (!cache_dir.empty() && st.st_size >= kIndexMinBytes) index.emplace(cache_dir, path, sig);
  std::optional<std::string> digest = index ? index->find() : std::nullopt;
  if (!digest) {
    digest = sha256_file(path);
    ++m.computed;
    if (index && settled(st)) index->record(*digest);
  }
  std::lock_guard<std::mutex> lock(m.mutex);
  m.digests.emplace(sig, *digest);
  return *digest;
}

void forget_file_digests() {
  Memo& m = memo();
  std::lock_guard<std::mutex> lock(m.mutex);
  m.digests.clear();
}

long long file_sha256_computed_count() { return memo().computed.load(); }

}  // namespace pelagos
