// The frozen part of VGGish (features modules [0, first_trainable)) never
// changes during training, so its output is computed once per (patches, base
// weights, frontend, trainable_layers) and reused by every epoch and every
// trial of a study: in memory, and optionally as .npy under the cache folder.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "model/vggish.h"

namespace pelagos {

// Output of features modules [0, first) for (N, 1, 96, 64) patches, in batches, without autograd.
torch::Tensor compute_prefix(VGGish& base, const torch::Tensor& patches, int first, int64_t batch = 64);

class PrefixCache {
 public:
  // disk_dir empty: memory only. Entries go to <disk_dir>/prefix/<key>.npy.
  explicit PrefixCache(std::string disk_dir = "");

  // base_identity names the base weights (BaseNetwork::identity); frontend_fingerprint
  // the preprocessing that made the patches. Returns the patches themselves when first == 0.
  torch::Tensor get(VGGish& base, const std::string& base_identity, const std::string& frontend_fingerprint,
                    const torch::Tensor& patches, int first);

  int64_t computed() const { return computed_; }  // entries computed (not found in memory or on disk)

 private:
  const std::string& patches_digest(const torch::Tensor& patches);

  std::string disk_dir_;
  std::map<std::string, torch::Tensor> memory_;
  // sha256 of each patches tensor seen, so a study's trials hash the dataset once,
  // not per trial (the tensor is kept so its identity stays valid).
  std::vector<std::pair<torch::Tensor, std::string>> patch_digests_;
  int64_t computed_ = 0;
};

}  // namespace pelagos
