// The patches of one dataset split, grouped by clip: training uses patches,
// decisions and metrics are per clip.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

namespace pelagos {

struct PatchSet {
  torch::Tensor patches;               // (N, 1, frames, bands) float32, CPU
  std::vector<int64_t> clip_begin{0};  // clip c owns patches [clip_begin[c], clip_begin[c + 1])
  std::vector<int64_t> clip_labels;    // per clip; -1 when unknown
  std::vector<std::string> clip_names;

  int64_t num_clips() const { return static_cast<int64_t>(clip_labels.size()); }
  int64_t num_patches() const { return clip_begin.back(); }
  // Label of every patch, int64 (N).
  torch::Tensor patch_labels() const;
  // Appends one clip's patches ((n, frames, bands) or (n, 1, frames, bands)).
  void add_clip(const torch::Tensor& clip_patches, int64_t label, const std::string& name);
  // Concatenates pending clips into `patches` (call once after the last add_clip).
  void finish();

 private:
  std::vector<torch::Tensor> pending_;
};

}  // namespace pelagos
