// VGGish PCA post-processing: embeddings (N, 128) float32 -> quantised uint8.
//   HalfToEven (torchvggish Postprocessor, the default): float32 throughout,
//     pca = E (emb^T - mu), clamp to [-2, 2], round((x + 2) * 255/4) with
//     round-half-to-even.
//   Truncate (the numpy/TensorFlow reference): the same in float64, then
//     truncation toward zero (astype(uint8)). Differs by 1 in about a third of values.
#pragma once
#include <torch/types.h>

#include "model/vggish_pca.h"

namespace pelagos {

enum class PcaRounding { HalfToEven, Truncate };

// Returns (N, 128) uint8; N = 0 gives an empty (0, 128) tensor.
torch::Tensor postprocess_embeddings(const torch::Tensor& embeddings, const PcaParams& pca,
                                     PcaRounding rounding = PcaRounding::HalfToEven);

}  // namespace pelagos
