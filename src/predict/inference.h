// Runs a loaded model on raw patches: evaluation mode, no autograd, in batches.
#pragma once
#include <torch/types.h>

#include "model/bundle.h"

namespace pelagos {

// Puts the model in evaluation mode on `device` (once per model).
void prepare_for_inference(LoadedModel& model, torch::Device device);
// (N, 1, frames, bands) or (N, frames, bands) patches -> (N, classes) logits on the CPU,
// `batch` patches at a time: small batches keep activation memory low (VGGish's first
// layers hold ~1.6 MB per patch, twice); convolutions gain nothing from larger ones on a CPU.
torch::Tensor infer_logits(LoadedModel& model, const torch::Tensor& patches, torch::Device device,
                           int64_t batch = 16);

}  // namespace pelagos
