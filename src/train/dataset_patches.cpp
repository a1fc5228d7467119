#include "train/dataset_patches.h"

#include <ATen/ATen.h>

#include <fmt/format.h>

#include <iostream>

#include "pelagos/error.h"

namespace pelagos {

FeatureOptions feature_options(const std::string& cache_dir, int threads, bool quiet) {
  FeatureOptions fo;
  fo.cache_dir = cache_dir;
  fo.threads = threads;
  fo.quiet = quiet;
  return fo;
}

Dataset load_dataset_reporting(const DatasetOptions& options, bool quiet) {
  Dataset dataset = load_dataset(options);
  if (!quiet)
    for (const auto& w : dataset.warnings) std::cerr << "warning: " << w << "\n";
  return dataset;
}

PatchSet to_patch_set(const ClipFeatures& features, const std::vector<Clip>& clips) {
  PatchSet set;
  const int64_t n = features.patch_count();
  set.patches = torch::from_blob(const_cast<float*>(features.data.data()), {n, 1, features.frames, features.bands},
                                 torch::kFloat32)
                    .clone();
  set.clip_begin = features.offsets;
  for (const Clip& c : clips) {
    set.clip_labels.push_back(c.label);
    set.clip_names.push_back(c.file_name);
  }
  return set;
}

PatchSet load_split_patches(const Dataset& dataset, const std::string& split, const FrontendParams& frontend,
                            const FeatureOptions& options) {
  const SplitData* data = dataset.split(split);
  if (!data || data->clips.empty())
    throw Error(fmt::format("{}: the dataset has no '{}' clips (expected {}/ and its metadata)", dataset.root,
                            split, split));
  return to_patch_set(load_features(data->clips, frontend, options), data->clips);
}

}  // namespace pelagos
