// Runs a loaded model on raw patches: evaluation mode, no autograd, in batches.
#pragma once
#include <torch/types.h>

#include "model/bundle.h"

namespace pelagos {

// Puts the model in evaluation mode on `device` (once per model).
void prepare_for_inference(LoadedModel& model, torch::Device device);
// (N, 1, frames, bands) or (N, frames, bands) patches -> (N, classes) logits on the CPU.
torch::Tensor infer_logits(LoadedModel& model, const torch::Tensor& patches, torch::Device device,
                           int64_t batch = 64);

}  // namespace pelagos
