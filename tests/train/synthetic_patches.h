// Synthetic patch sets for the training tests: each class is a horizontal band
// of energy at its own mel rows plus noise, so a small head can learn it.
#pragma once
#include <vector>

#include "train/patch_set.h"
#include "train/trainer.h"

namespace pelagos::test {

// `clips_per_class` clips per class, each with 1 + (clip % max_patches) patches.
PatchSet synthetic_patch_set(int classes, int clips_per_class, int max_patches, uint64_t seed);

// Copies of the trainer's classifier parameters, to compare two runs.
std::vector<torch::Tensor> weights_of(Trainer& t);

}  // namespace pelagos::test
