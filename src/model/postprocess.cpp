#include "model/postprocess.h"

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr double kQuantizeMin = -2.0;
constexpr double kQuantizeMax = 2.0;

}  // namespace

torch::Tensor postprocess_embeddings(const torch::Tensor& embeddings, const PcaParams& pca, PcaRounding rounding) {
  if (embeddings.dim() != 2 || embeddings.size(1) != kPcaSize)
    throw Error(fmt::format("PCA post-processing expects (N, {}) embeddings", kPcaSize));
  const auto dtype = rounding == PcaRounding::HalfToEven ? torch::kFloat32 : torch::kFloat64;
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  // from_blob does not own the data: clone into tensors of the working dtype.
  auto eigen = torch::from_blob(const_cast<double*>(pca.eigen_vectors.data()), {kPcaSize, kPcaSize}, f64).to(dtype);
  auto means = torch::from_blob(const_cast<double*>(pca.means.data()), {kPcaSize, 1}, f64).to(dtype);
  auto emb = embeddings.to(torch::kCPU, dtype);
  auto pca_applied = torch::mm(eigen, emb.t() - means).t();
  auto scaled = (pca_applied.clamp(kQuantizeMin, kQuantizeMax) - kQuantizeMin) *
                (255.0 / (kQuantizeMax - kQuantizeMin));
  // torch.round rounds halves to even; truncation matches numpy's astype(uint8).
  auto quantized = rounding == PcaRounding::HalfToEven ? scaled.round() : scaled.trunc();
  return quantized.to(torch::kUInt8).contiguous();
}

}  // namespace pelagos
