// From a dataset split to the PatchSet the trainer and evaluator use, through
// the feature pipeline (feature cache, worker pool).
#pragma once
#include <string>

#include "pelagos/dataset.h"
#include "pelagos/feature_pipeline.h"
#include "train/patch_set.h"

namespace pelagos {

PatchSet to_patch_set(const ClipFeatures& features, const std::vector<Clip>& clips);

// Throws pelagos::Error when the split is absent or empty.
PatchSet load_split_patches(const Dataset& dataset, const std::string& split, const FrontendParams& frontend,
                            const FeatureOptions& options);

}  // namespace pelagos
