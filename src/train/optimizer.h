// The optimizers training uses: Adam, SGD and RMSprop with PyTorch's update
// rules (torch.optim at its defaults apart from lr and weight decay). On the
// CPU in float32 each parameter is updated in one pass over its memory:
// LibTorch's own optimizers make six to ten element-wise passes, and with a
// head of 50-200 M weights those passes, not the matrix products, set the
// pace of a training step (BENCHMARKS.md, "Where a trial's time goes").
#pragma once
#include <memory>
#include <vector>

#include <torch/types.h>

#include "pelagos/train.h"

namespace pelagos {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Drops the gradients: the next backward pass then stores its gradients
  // instead of adding them to zeros (two fewer passes over each).
  void zero_grad();
  // One update of every parameter that has a gradient.
  virtual void step() = 0;

 protected:
  explicit Optimizer(std::vector<torch::Tensor> params) : params_(std::move(params)) {}
  std::vector<torch::Tensor> params_;
};

enum class OptimizerImplementation {
  OnePass,   // one pass per parameter where every parameter is a dense float32 CPU tensor,
             // LibTorch's optimizers otherwise (other devices and types)
  LibTorch,  // torch::optim's, always: the reference the one-pass updates are tested against
};

std::unique_ptr<Optimizer> make_optimizer(const TrainParams& params, std::vector<torch::Tensor> parameters,
                                          OptimizerImplementation implementation = OptimizerImplementation::OnePass);

}  // namespace pelagos
