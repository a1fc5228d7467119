#include "cache/feature_cache.h"

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <system_error>

#include "cache/cache_dir.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "cache entries are written in host byte order");

namespace pelagos {
namespace {

// Entry layout, little-endian:
//   "PLGSFEAT" | u32 format version | u32 n | n bytes of JSON metadata |
//   i64 count | i32 frames | i32 bands | f32 data[count*frames*bands] | f64 start_s[count] |
//   64 hex chars: sha256 of everything before them.
constexpr char kMagic[8] = {'P', 'L', 'G', 'S', 'F', 'E', 'A', 'T'};
constexpr size_t kDigestChars = 64;
constexpr size_t kFixedHeader = sizeof(kMagic) + 4 + 4;

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Reads sequentially from an entry's bytes; any overrun marks the entry bad.
class Reader {
 public:
  Reader(const std::string& bytes, size_t end) : bytes_(bytes), end_(end) {}
  template <typename T>
  bool get(T& value) {
    return take(&value, sizeof(T));
  }
  bool take(void* dst, size_t n) {
    if (n > end_ - pos_) return false;
    if (n > 0) std::memcpy(dst, bytes_.data() + pos_, n);  // dst may be null for an empty tensor
    pos_ += n;
    return true;
  }
  bool text(std::string& out, size_t n) {
    if (n > end_ - pos_) return false;
    out.assign(bytes_, pos_, n);
    pos_ += n;
    return true;
  }
  bool at_end() const { return pos_ == end_; }

 private:
  const std::string& bytes_;
  size_t end_;
  size_t pos_ = 0;
};

std::optional<Patches> decode_entry(const std::string& bytes, const std::string& expected_key) {
  if (bytes.size() < kFixedHeader + kDigestChars) return std::nullopt;
  const size_t body = bytes.size() - kDigestChars;
  if (sha256_hex(std::string_view(bytes.data(), body)) != std::string_view(bytes.data() + body, kDigestChars))
    return std::nullopt;
  Reader in(bytes, body);
  char magic[sizeof(kMagic)];
  uint32_t version = 0, meta_size = 0;
  std::string meta_text;
  if (!in.take(magic, sizeof(magic)) || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) return std::nullopt;
  if (!in.get(version) || version != kFeatureFormatVersion) return std::nullopt;
  if (!in.get(meta_size) || !in.text(meta_text, meta_size)) return std::nullopt;
  auto meta = nlohmann::json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || meta.value("key", "") != expected_key) return std::nullopt;
  Patches p;
  int32_t frames = 0, bands = 0;
  if (!in.get(p.count) || !in.get(frames) || !in.get(bands)) return std::nullopt;
  if (p.count < 0 || frames <= 0 || bands <= 0) return std::nullopt;
  const uint64_t values = uint64_t(p.count) * uint64_t(frames) * uint64_t(bands);
  if (values * sizeof(float) + uint64_t(p.count) * sizeof(double) > body) return std::nullopt;
  p.frames = frames;
  p.bands = bands;
  p.data.resize(values);
  p.start_s.resize(size_t(p.count));
  if (!in.take(p.data.data(), values * sizeof(float)) ||
      !in.take(p.start_s.data(), p.start_s.size() * sizeof(double)) || !in.at_end())
    return std::nullopt;
  return p;
}

}  // namespace

FeatureCache::FeatureCache(const std::string& cache_dir)
    : cache_dir_(cache_dir),
      folder_((std::filesystem::path(cache_dir) / "features" / fmt::format("v{}", kFeatureFormatVersion))
                  .string()) {}

std::string FeatureCache::key(const std::string& file_sha256, const std::string& params_fingerprint) {
  return sha256_hex(fmt::format("pelagos-features\n{}\n{}\n{}\n", kFeatureFormatVersion, file_sha256,
                                params_fingerprint));
}

std::string FeatureCache::entry_path(const std::string& key) const {
  return (std::filesystem::path(folder_) / key.substr(0, 2) / (key + ".bin")).string();
}

std::optional<Patches> FeatureCache::load(const std::string& key) {
  const std::string path = entry_path(key);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const Error&) {
    return std::nullopt;  // unreadable (permissions, vanished): recompute, keep going
  }
  auto patches = decode_entry(bytes, key);
  if (!patches) {
    ++corrupt_;
    std::filesystem::remove(path, ec);  // a concurrent rewrite may already have replaced it: harmless
  }
  return patches;
}

void FeatureCache::store(const std::string& key, const Patches& patches, const nlohmann::json& params_json,
                         const std::string& source_path, const std::string& file_sha256) {
  if (patches.data.size() != size_t(patches.count) * size_t(patches.frames) * size_t(patches.bands) ||
      patches.start_s.size() != size_t(patches.count))
    throw std::logic_error(fmt::format("FeatureCache::store: inconsistent patches for {}", source_path));
  const nlohmann::json meta = {
      {"key", key},          {"format_version", kFeatureFormatVersion}, {"file_sha256", file_sha256},
      {"source", source_path}, {"params", params_json},                 {"count", patches.count}};
  const std::string meta_text = meta.dump();
  std::string bytes;
  bytes.reserve(kFixedHeader + meta_text.size() + 16 + patches.data.size() * sizeof(float) +
                patches.start_s.size() * sizeof(double) + kDigestChars);
  bytes.append(kMagic, sizeof(kMagic));
  append(bytes, uint32_t(kFeatureFormatVersion));
  append(bytes, uint32_t(meta_text.size()));
  bytes += meta_text;
  append(bytes, int64_t(patches.count));
  append(bytes, int32_t(patches.frames));
  append(bytes, int32_t(patches.bands));
  bytes.append(reinterpret_cast<const char*>(patches.data.data()), patches.data.size() * sizeof(float));
  bytes.append(reinterpret_cast<const char*>(patches.start_s.data()), patches.start_s.size() * sizeof(double));
  bytes += sha256_hex(bytes);

  const std::string path = entry_path(key);
  prepare_cache_dir(cache_dir_);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  AtomicFile out(path);
  out.write(bytes);
  out.commit(/*flush_to_disk=*/false);  // the checksum catches an entry torn by a power loss
}

}  // namespace pelagos
