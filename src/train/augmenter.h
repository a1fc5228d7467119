// Applies AugmentParams to training batches (never to evaluation): SpecAugment
// masks on the last two axes (time, frequency) of each example, and mixup of
// the batch with a shuffled copy. Its own seeded generator, so training without
// augmentation draws exactly what it drew before.
#pragma once
#include <random>

#include <torch/types.h>

#include "train/augment_params.h"

namespace pelagos {

struct MixedBatch {
  torch::Tensor x;
  torch::Tensor y_other;  // labels of the blended-in examples (undefined: no mixup)
  double lambda = 1.0;    // weight of the original labels
};

class Augmenter {
 public:
  // Draws from (params.seed, stream): the trainer passes its training seed, so trials differ.
  Augmenter(const AugmentParams& params, uint64_t stream);
  // x: (N, C, time, freq) features, changed in place and returned blended (or as is).
  MixedBatch apply(torch::Tensor x, const torch::Tensor& y);
  // Only the masking step, in place.
  void mask(torch::Tensor& x);

 private:
  void mask_axis(torch::Tensor& example, int64_t dim, int count, double max_fraction, float value);

  AugmentParams params_;
  std::mt19937_64 rng_;
};

}  // namespace pelagos
