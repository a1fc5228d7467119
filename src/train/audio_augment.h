// Raw-audio training augmentation (AugmentParams' noise, gain, shift and speed)
// and the augmented variants of a training split, computed once through the
// feature pipeline: each variant's patches are cached under the frontend
// fingerprint plus these parameters, the seed and the variant number, so a
// study pays for them once and every trial reuses them (and their prefix).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pelagos/dataset.h"
#include "pelagos/feature_pipeline.h"
#include "pelagos/frontend.h"
#include "train/augment_params.h"
#include "train/patch_set.h"

namespace pelagos {

class AudioAugmenter {
 public:
  // `clips`: the training split (noise from their quiet parts when noise_dir is empty).
  AudioAugmenter(const AugmentParams& params, const std::vector<Clip>& clips, const FrontendParams& frontend);

  // Variant `variant` (>= 1) of clip `clip`, in place. The draws depend only on
  // the seed, the clip's file name and the variant, not on order or threads.
  void apply(size_t clip, int variant, std::vector<float>& samples) const;
  // Names the variant's transformation in the feature cache key.
  std::string id(int variant) const;

 private:
  const std::vector<std::vector<float>>& noise_pool() const;  // decoded on first use

  AugmentParams params_;
  const std::vector<Clip>& clips_;
  FrontendParams frontend_;
  std::string source_id_;
  mutable std::once_flag pool_once_;
  mutable std::vector<std::vector<float>> pool_;
  mutable std::vector<size_t> pool_clip_;  // clip index of each pool entry (noise_dir: none)
};

// Patches of variants 1..params.variants of the split's clips (empty without raw-audio augmentation).
std::vector<PatchSet> augmented_variants(const Dataset& dataset, const std::string& split, const FrontendParams& frontend,
                                         const AugmentParams& params, const FeatureOptions& options);

}  // namespace pelagos
