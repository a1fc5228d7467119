#include "cache/file_digest.h"

#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <tuple>

#include "pelagos/error.h"
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

}  // namespace

std::string file_sha256_cached(const std::string& path) {
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
  std::string digest = sha256_file(path);  // outside the lock: workers hash in parallel
  ++m.computed;
  std::lock_guard<std::mutex> lock(m.mutex);
  m.digests.emplace(sig, digest);
  return digest;
}

long long file_sha256_computed_count() { return memo().computed.load(); }

}  // namespace pelagos
