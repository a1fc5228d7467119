// From a dataset split to the PatchSet the trainer and evaluator use, through
// the feature pipeline (feature cache, worker pool).
#pragma once
#include <string>

#include "pelagos/dataset.h"
#include "pelagos/feature_pipeline.h"
#include "train/patch_set.h"

namespace pelagos {

// The feature pipeline's options as every training-side command sets them.
FeatureOptions feature_options(const std::string& cache_dir, int threads, bool quiet);

// load_dataset, printing its warnings on stderr unless quiet.
Dataset load_dataset_reporting(const DatasetOptions& options, bool quiet);

PatchSet to_patch_set(const ClipFeatures& features, const std::vector<Clip>& clips);

// Throws pelagos::Error when the split is absent or empty.
PatchSet load_split_patches(const Dataset& dataset, const std::string& split, const FrontendParams& frontend,
                            const FeatureOptions& options);

}  // namespace pelagos
