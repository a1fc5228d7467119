#include "train/optimizer.h"

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>
#include <torch/optim/rmsprop.h>
#include <torch/optim/sgd.h>

#include <cmath>

namespace pelagos {

void Optimizer::zero_grad() {
  for (auto& p : params_) p.mutable_grad() = torch::Tensor();
}

namespace {

// PyTorch's defaults for what the search space does not tune.
constexpr double kAdamBeta1 = 0.9, kAdamBeta2 = 0.999, kAdamEps = 1e-8;
constexpr double kRmspropAlpha = 0.99, kRmspropEps = 1e-8;

// Splits [0, n) over LibTorch's threads. Every element is updated on its own,
// so the result does not depend on the thread count.
template <class Update>
void for_ranges(int64_t n, const Update& update) {
  at::parallel_for(0, n, at::internal::GRAIN_SIZE, update);
}

// The loops below follow ATen's element-wise formulas term by term
// (add with alpha: a + alpha * b; addcmul: a + value * b * c; addcdiv:
// a + value * b / c), with the scalars rounded to float as ATen does, so the
// result matches LibTorch's optimizers to float rounding (fused multiply-adds).
// Gradient with L2 weight decay folded in, as torch.optim does.
template <bool kDecay>
inline float decayed(float g, float p, float weight_decay) {
  return kDecay ? g + weight_decay * p : g;
}

template <bool kDecay>
void rmsprop_range(float* __restrict p, const float* __restrict g, float* __restrict square_avg, int64_t begin,
                   int64_t end, float lr, float weight_decay) {
  const float alpha = float(kRmspropAlpha), one_minus_alpha = float(1 - kRmspropAlpha), eps = float(kRmspropEps);
  for (int64_t i = begin; i < end; ++i) {
    const float grad = decayed<kDecay>(g[i], p[i], weight_decay);
    const float s = square_avg[i] * alpha + one_minus_alpha * grad * grad;
    square_avg[i] = s;
    p[i] = p[i] + -lr * grad / (std::sqrt(s) + eps);
  }
}

template <bool kDecay>
void adam_range(float* __restrict p, const float* __restrict g, float* __restrict exp_avg,
                float* __restrict exp_avg_sq, int64_t begin, int64_t end, float step_size,
                float sqrt_bias_correction2, float weight_decay) {
  const float beta1 = float(kAdamBeta1), one_minus_beta1 = float(1 - kAdamBeta1);
  const float beta2 = float(kAdamBeta2), one_minus_beta2 = float(1 - kAdamBeta2), eps = float(kAdamEps);
  for (int64_t i = begin; i < end; ++i) {
    const float grad = decayed<kDecay>(g[i], p[i], weight_decay);
    const float m = exp_avg[i] * beta1 + one_minus_beta1 * grad;
    const float v = exp_avg_sq[i] * beta2 + one_minus_beta2 * grad * grad;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    p[i] = p[i] + -step_size * m / (std::sqrt(v) / sqrt_bias_correction2 + eps);
  }
}

template <bool kDecay>
void sgd_range(float* __restrict p, const float* __restrict g, int64_t begin, int64_t end, float lr,
               float weight_decay) {
  for (int64_t i = begin; i < end; ++i) p[i] = p[i] + -lr * decayed<kDecay>(g[i], p[i], weight_decay);
}

// Per-parameter state (zeros, with the parameter's layout), created on first use.
torch::Tensor& state_for(std::vector<torch::Tensor>& states, size_t i, const torch::Tensor& p) {
  if (!states[i].defined()) states[i] = torch::zeros_like(p);
  return states[i];
}

class OnePassOptimizer final : public Optimizer {
 public:
  OnePassOptimizer(const TrainParams& tp, std::vector<torch::Tensor> params)
      : Optimizer(std::move(params)), kind_(tp.optimizer), lr_(tp.lr), weight_decay_(tp.weight_decay) {
    first_.resize(params_.size());
    second_.resize(params_.size());
    steps_.assign(params_.size(), 0);
  }

  void step() override {
    for (size_t i = 0; i < params_.size(); ++i) {
      torch::Tensor& p = params_[i];
      const torch::Tensor& grad = p.grad();
      if (!grad.defined()) continue;
      // The update walks parameter, gradient and state as one flat array, so
      // the gradient needs the parameter's layout (conv4's is channels-last).
      const torch::Tensor g = grad.strides() == p.strides() ? grad : torch::empty_like(p).copy_(grad);
      if (weight_decay_ != 0)
        update<true>(i, p, g);
      else
        update<false>(i, p, g);
    }
  }

 private:
  template <bool kDecay>
  void update(size_t i, torch::Tensor& p, const torch::Tensor& grad) {
    float* pp = p.data_ptr<float>();
    const float* gp = grad.data_ptr<float>();
    const int64_t n = p.numel();
    const float lr = float(lr_), wd = float(weight_decay_);
    switch (kind_) {
      case OptimizerKind::SGD:
        for_ranges(n, [&](int64_t b, int64_t e) { sgd_range<kDecay>(pp, gp, b, e, lr, wd); });
        return;
      case OptimizerKind::RMSprop: {
        float* sq = state_for(first_, i, p).data_ptr<float>();
        for_ranges(n, [&](int64_t b, int64_t e) { rmsprop_range<kDecay>(pp, gp, sq, b, e, lr, wd); });
        return;
      }
      case OptimizerKind::Adam: {
        float* m = state_for(first_, i, p).data_ptr<float>();
        float* v = state_for(second_, i, p).data_ptr<float>();
        const int64_t t = ++steps_[i];
        const double bias_correction1 = 1 - std::pow(kAdamBeta1, double(t));
        const double bias_correction2 = 1 - std::pow(kAdamBeta2, double(t));
        const float step_size = float(lr_ / bias_correction1);
        const float sqrt_bc2 = float(std::sqrt(bias_correction2));
        for_ranges(n, [&](int64_t b, int64_t e) { adam_range<kDecay>(pp, gp, m, v, b, e, step_size, sqrt_bc2, wd); });
        return;
      }
    }
  }

  OptimizerKind kind_;
  double lr_;
  double weight_decay_;
  std::vector<torch::Tensor> first_;   // RMSprop's square average, Adam's first moment
  std::vector<torch::Tensor> second_;  // Adam's second moment
  std::vector<int64_t> steps_;         // Adam's step count per parameter
};

class LibTorchOptimizer final : public Optimizer {
 public:
  LibTorchOptimizer(const TrainParams& tp, std::vector<torch::Tensor> params) : Optimizer(params) {
    switch (tp.optimizer) {
      case OptimizerKind::Adam:
        impl_ = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(tp.lr).weight_decay(tp.weight_decay));
        return;
      case OptimizerKind::SGD:
        impl_ = std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(tp.lr).weight_decay(tp.weight_decay));
        return;
      case OptimizerKind::RMSprop:
        impl_ = std::make_unique<torch::optim::RMSprop>(
            params, torch::optim::RMSpropOptions(tp.lr).weight_decay(tp.weight_decay));
        return;
    }
  }
  void step() override { impl_->step(); }

 private:
  std::unique_ptr<torch::optim::Optimizer> impl_;
};

bool one_pass_applies(const std::vector<torch::Tensor>& params) {
  for (const auto& p : params)
    if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32 || !p.is_non_overlapping_and_dense())
      return false;
  return true;
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const TrainParams& params, std::vector<torch::Tensor> parameters,
                                          OptimizerImplementation implementation) {
  if (implementation == OptimizerImplementation::OnePass && one_pass_applies(parameters))
    return std::make_unique<OnePassOptimizer>(params, std::move(parameters));
  return std::make_unique<LibTorchOptimizer>(params, std::move(parameters));
}

}  // namespace pelagos
