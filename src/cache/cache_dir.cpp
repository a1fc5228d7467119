#include "cache/cache_dir.h"

#include <filesystem>
#include <fmt/format.h>
#include <system_error>

#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace fs = std::filesystem;
namespace {

constexpr const char* kTagName = "CACHEDIR.TAG";
constexpr const char* kTagSignature = "Signature: 8a477f597d28d172789f06886806bc55";

bool is_tagged(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / kTagName, ec)) return false;
  try {
    return read_file((dir / kTagName).string()).rfind(kTagSignature, 0) == 0;
  } catch (const Error&) {
    return false;
  }
}

// Temporary files of unfinished atomic writes (".name.tmp.XXXXXX") are not entries.
bool is_entry(const fs::directory_entry& e) {
  std::error_code ec;
  const std::string name = e.path().filename().string();
  return e.is_regular_file(ec) && name != kTagName && name.find(".tmp.") == std::string::npos;
}

}  // namespace

int64_t CacheUsage::entries() const {
  int64_t n = 0;
  for (const auto& [name, kind] : kinds) n += kind.entries;
  return n;
}

int64_t CacheUsage::bytes() const {
  int64_t n = 0;
  for (const auto& [name, kind] : kinds) n += kind.bytes;
  return n;
}

void prepare_cache_dir(const std::string& cache_dir) {
  const fs::path dir(cache_dir);
  std::error_code ec;
  if (fs::is_regular_file(dir / kTagName, ec)) return;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec))
    throw Error(fmt::format("{}: cannot create the cache folder ({}). Pass --cache-dir with a writable "
                            "folder.", cache_dir, ec ? ec.message() : "not a folder"));
  write_file_atomic((dir / kTagName).string(),
                    fmt::format("{}\n# This file marks a cache folder created by pelagos.\n"
                                "# For information about cache directory tags see https://bford.info/cachedir/\n",
                                kTagSignature));
}

CacheUsage cache_usage(const std::string& cache_dir) {
  CacheUsage usage;
  const fs::path dir(cache_dir);
  std::error_code ec;
  usage.exists = fs::is_directory(dir, ec);
  if (!usage.exists) return usage;
  usage.tagged = is_tagged(dir);
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!is_entry(*it)) continue;
    const fs::path rel = it->path().lexically_relative(dir);
    const std::string kind = rel.has_parent_path() ? rel.begin()->string() : std::string("(top level)");
    std::error_code size_ec;
    const auto size = it->file_size(size_ec);
    auto& k = usage.kinds[kind];
    ++k.entries;
    if (!size_ec) k.bytes += int64_t(size);
  }
  return usage;
}

CacheUsage clear_cache(const std::string& cache_dir) {
  CacheUsage before = cache_usage(cache_dir);
  if (!before.exists) return before;
  const fs::path dir(cache_dir);
  std::error_code ec;
  if (!before.tagged && !fs::is_empty(dir, ec))
    throw Error(fmt::format("{}: not cleared, because it has no pelagos {} and so may not be a pelagos "
                            "cache. Check --cache-dir, or delete the folder yourself.",
                            cache_dir, kTagName));
  for (const auto& child : fs::directory_iterator(dir, ec)) {
    if (child.path().filename() == kTagName) continue;
    std::error_code rm_ec;
    fs::remove_all(child.path(), rm_ec);
    if (rm_ec)
      throw Error(fmt::format("{}: cannot remove ({}). Check the folder's permissions.", child.path().string(),
                              rm_ec.message()));
  }
  return before;
}

}  // namespace pelagos
