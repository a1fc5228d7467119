// Runs a loaded model on raw patches: evaluation mode, no autograd, in batches.
#pragma once
#include <torch/types.h>

#include "model/bundle.h"
#include "model/precision.h"

namespace pelagos {

// Where and in which precision a prepared model runs. The precision covers the
// network only: the frontend's log-mel products stay float32.
struct InferenceTarget {
  InferenceTarget(torch::Device device = torch::kCPU, Precision precision = Precision::Float32)  // NOLINT: a device alone is a target
      : device(device), precision(precision) {}
  torch::Dtype dtype() const;  // of the weights and activations
  torch::Device device;
  Precision precision;
};

// Puts the model in evaluation mode on the target's device, in its precision (once per model).
void prepare_for_inference(LoadedModel& model, const InferenceTarget& target);
// (N, 1, frames, bands) or (N, frames, bands) patches -> (N, classes) logits on the CPU,
// `batch` patches at a time: small batches keep activation memory low (VGGish's first
// layers hold ~1.6 MB per patch, twice); convolutions gain nothing from larger ones on a CPU.
constexpr int64_t kInferenceBatch = 16;
torch::Tensor infer_logits(LoadedModel& model, const torch::Tensor& patches, const InferenceTarget& target,
                           int64_t batch = kInferenceBatch);

}  // namespace pelagos
