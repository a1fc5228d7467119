// Clip-level decisions from patch logits: training sees patches, but a
// recording (a clip, or a prediction window) gets one answer.
//   mean: softmax of the mean logit;  max: softmax of the per-class maximum logit;
//   vote: share of patches whose argmax is each class (ties: higher mean probability).
#pragma once
#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "pelagos/train.h"

namespace pelagos {

struct ClipDecision {
  int predicted = -1;               // -1 when the clip has no patches
  std::vector<float> probabilities;  // one per class; empty when no patches
};

// logits: (n, classes) for one clip.
ClipDecision decide_clip(const torch::Tensor& logits, ClipAggregation aggregation);
// patch_logits: (N, classes); clip c owns rows [clip_begin[c], clip_begin[c + 1]).
std::vector<ClipDecision> decide_clips(const torch::Tensor& patch_logits, const std::vector<int64_t>& clip_begin,
                                       ClipAggregation aggregation);

}  // namespace pelagos
