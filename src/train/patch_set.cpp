#include "train/patch_set.h"

#include <ATen/ATen.h>

namespace pelagos {

torch::Tensor PatchSet::patch_labels() const {
  torch::Tensor labels = torch::empty({num_patches()}, torch::kInt64);
  auto* out = labels.data_ptr<int64_t>();
  for (int64_t c = 0; c < num_clips(); ++c)
    for (int64_t i = clip_begin[c]; i < clip_begin[c + 1]; ++i) out[i] = clip_labels[c];
  return labels;
}

void PatchSet::add_clip(const torch::Tensor& clip_patches, int64_t label, const std::string& name) {
  torch::Tensor p = clip_patches.dim() == 3 ? clip_patches.unsqueeze(1) : clip_patches;
  pending_.push_back(p.to(torch::kFloat32).contiguous());
  clip_begin.push_back(clip_begin.back() + p.size(0));
  clip_labels.push_back(label);
  clip_names.push_back(name);
}

void PatchSet::finish() {
  if (pending_.empty()) {
    if (!patches.defined()) patches = torch::empty({0, 1, 96, 64});
    return;
  }
  if (patches.defined() && patches.size(0) > 0) pending_.insert(pending_.begin(), patches);
  patches = torch::cat(pending_, 0);
  pending_.clear();
}

}  // namespace pelagos
