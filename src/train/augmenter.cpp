#include "train/augmenter.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace pelagos {

namespace {
std::mt19937_64 seeded(uint64_t seed, uint64_t stream) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(stream), uint32_t(stream >> 32), 0x61756731u};
  return std::mt19937_64(seq);
}
}  // namespace

Augmenter::Augmenter(const AugmentParams& params, uint64_t stream) : params_(params), rng_(seeded(params.seed, stream)) {
  params_.validate();
}

void Augmenter::mask_axis(torch::Tensor& example, int64_t dim, int count, double max_fraction, float value) {
  const int64_t size = example.size(dim);
  // At least one row when asked for: on small activation maps (6 x 4 for
  // trainable_layers 0) the fraction alone would round every stripe away.
  const int64_t widest = max_fraction > 0 ? std::max<int64_t>(1, int64_t(std::floor(max_fraction * double(size)))) : 0;
  for (int m = 0; m < count; ++m) {
    const int64_t width = std::uniform_int_distribution<int64_t>(0, widest)(rng_);
    if (width == 0) continue;
    const int64_t start = std::uniform_int_distribution<int64_t>(0, size - width)(rng_);
    example.narrow(dim, start, width).fill_(value);
  }
}

void Augmenter::mask(torch::Tensor& x) {
  if (params_.specaugment_p <= 0) return;
  if (x.dim() < 3) throw std::invalid_argument("Augmenter::mask: expected (N, ..., time, freq) features");
  std::bernoulli_distribution masked(params_.specaugment_p);
  for (int64_t i = 0; i < x.size(0); ++i) {
    if (!masked(rng_)) continue;
    torch::Tensor example = x[i];
    const float mean = example.mean().item<float>();
    mask_axis(example, example.dim() - 2, params_.time_masks, params_.time_mask_max, mean);
    mask_axis(example, example.dim() - 1, params_.freq_masks, params_.freq_mask_max, mean);
  }
}

MixedBatch Augmenter::apply(torch::Tensor x, const torch::Tensor& y) {
  mask(x);
  MixedBatch out{x, torch::Tensor(), 1.0};
  if (params_.mixup_p <= 0 || !std::bernoulli_distribution(params_.mixup_p)(rng_)) return out;
  // Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a, 1).
  std::gamma_distribution<double> gamma(params_.mixup_alpha, 1.0);
  const double gx = gamma(rng_), gy = gamma(rng_);
  out.lambda = gx + gy > 0 ? gx / (gx + gy) : 0.5;
  std::vector<int64_t> order(static_cast<size_t>(x.size(0)));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng_);
  const torch::Tensor perm = torch::tensor(order, torch::kInt64).to(x.device());
  out.x = x * out.lambda + x.index_select(0, perm) * (1.0 - out.lambda);
  out.y_other = y.index_select(0, perm);
  return out;
}

}  // namespace pelagos
