// On-disk cache of frontend output (log-mel patches). An entry is keyed by the
// audio file's content (sha256 of its bytes), the FrontendParams fingerprint and
// the entry format version, so an edited file, a changed parameter or a newer
// pelagos never gets stale patches. Each entry ends with a checksum: a
// truncated or corrupt entry reads as a miss and is removed, never trusted.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pelagos/frontend.h"

namespace pelagos {

// Bump when the entry layout or the meaning of stored patches changes.
inline constexpr int kFeatureFormatVersion = 1;

class FeatureCache {
 public:
  // `cache_dir` is the pelagos cache root (--cache-dir); entries live under
  // <cache_dir>/features/v<version>/<2 hex>/<key>.bin.
  explicit FeatureCache(const std::string& cache_dir);

  static std::string key(const std::string& file_sha256, const std::string& params_fingerprint);
  std::string entry_path(const std::string& key) const;
  const std::string& folder() const { return folder_; }

  // The stored patches, or nullopt when absent or unusable (a bad entry is deleted and counted).
  std::optional<Patches> load(const std::string& key);
  // Atomic (temp file + rename): concurrent writers of one key leave one whole entry.
  void store(const std::string& key, const Patches& patches, const nlohmann::json& params_json,
             const std::string& source_path, const std::string& file_sha256);

  int64_t corrupt_entries() const { return corrupt_.load(); }

 private:
  std::string cache_dir_;
  std::string folder_;
  std::atomic<int64_t> corrupt_{0};
};

}  // namespace pelagos
