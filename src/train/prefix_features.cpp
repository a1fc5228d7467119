#include "train/prefix_features.h"

#include <ATen/ATen.h>
#include <torch/utils.h>

#include <filesystem>
#include <fmt/format.h>

#include "model/precision.h"
#include "util/npy.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

// Bumped when the layout of cached prefix files changes.
constexpr int kPrefixCacheVersion = 1;

std::string tensor_sha256(const torch::Tensor& t) {
  torch::Tensor c = t.contiguous();
  Sha256 h;
  for (int64_t d : c.sizes()) h.update(fmt::format("{},", d));
  h.update(c.data_ptr(), c.numel() * c.element_size());
  return h.hex_digest();
}

}  // namespace

torch::Tensor compute_prefix(VGGish& base, const torch::Tensor& patches, int first, int64_t batch) {
  torch::NoGradGuard no_grad;
  // Always float32: the result is cached on disk and shared by runs of either precision.
  PrecisionScope float32(Precision::Float32, patches.device());
  const int64_t n = patches.size(0);
  if (first == 0) return patches;
  torch::Tensor probe = base->features_range(patches.narrow(0, 0, std::min<int64_t>(n, 1)), 0, first);
  std::vector<int64_t> shape = probe.sizes().vec();
  shape[0] = n;
  torch::Tensor out = torch::empty(shape, probe.options());
  for (int64_t start = 0; start < n; start += batch) {
    int64_t len = std::min(batch, n - start);
    out.narrow(0, start, len).copy_(base->features_range(patches.narrow(0, start, len), 0, first));
  }
  return out;
}

PrefixCache::PrefixCache(std::string disk_dir) : disk_dir_(std::move(disk_dir)) {}

const std::string& PrefixCache::patches_digest(const torch::Tensor& patches) {
  for (const auto& [tensor, digest] : patch_digests_)
    if (tensor.is_same(patches)) return digest;
  patch_digests_.emplace_back(patches, tensor_sha256(patches));
  return patch_digests_.back().second;
}

torch::Tensor PrefixCache::get(VGGish& base, const std::string& base_identity,
                               const std::string& frontend_fingerprint, const torch::Tensor& patches, int first) {
  if (first == 0) return patches;
  const std::string key = sha256_hex(fmt::format("prefix v{}|{}|{}|{}|{}", kPrefixCacheVersion, base_identity,
                                                 frontend_fingerprint, first, patches_digest(patches)));
  if (auto it = memory_.find(key); it != memory_.end()) return it->second;

  std::string file;
  if (!disk_dir_.empty()) {
    file = (std::filesystem::path(disk_dir_) / "prefix" / (key + ".npy")).string();
    if (std::filesystem::exists(file)) {
      NpyArray a = read_npy(file);
      std::vector<float> values = a.to_float();
      torch::Tensor t = torch::from_blob(values.data(), a.shape, torch::kFloat32).clone();
      if (t.size(0) == patches.size(0)) return memory_[key] = t;
      // A file that does not fit (truncated by hand, say) is recomputed and replaced.
    }
  }
  torch::Tensor t = compute_prefix(base, patches, first).contiguous();
  ++computed_;
  if (!file.empty()) {
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    write_npy(file, t.data_ptr<float>(), t.sizes().vec());
  }
  return memory_[key] = t;
}

}  // namespace pelagos
