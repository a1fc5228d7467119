#include "train/optimizer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/runtime.h"

namespace pelagos {
namespace {

// A weight matrix, a channels-last convolution kernel (as conv4's) and a bias,
// with the same starting values for both optimizers.
std::vector<torch::Tensor> parameters(uint64_t seed) {
  torch::manual_seed(seed);
  return {torch::randn({37, 53}).requires_grad_(),
          torch::randn({8, 6, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_(),
          torch::randn({1000}).requires_grad_()};
}

// Runs `steps` updates of both implementations on the same gradients (a fixed
// function of the parameters, so the trajectories stay coupled) and returns the
// largest difference between their parameters relative to the update size.
void expect_same_trajectory(OptimizerKind kind, double weight_decay) {
  TrainParams tp;
  tp.optimizer = kind;
  tp.lr = 1e-2;
  tp.weight_decay = weight_decay;
  std::vector<torch::Tensor> ours = parameters(3), reference = parameters(3);
  auto one_pass = make_optimizer(tp, ours, OptimizerImplementation::OnePass);
  auto libtorch = make_optimizer(tp, reference, OptimizerImplementation::LibTorch);
  const std::vector<torch::Tensor> start = {ours[0].detach().clone(), ours[1].detach().clone(), ours[2].detach().clone()};
  for (int step = 0; step < 12; ++step) {
    for (auto* set : {&ours, &reference}) {
      auto& opt = set == &ours ? one_pass : libtorch;
      opt->zero_grad();
      torch::Tensor loss = torch::zeros({});
      for (const auto& p : *set) loss = loss + (p * p * p).sum() * 0.1 + p.sin().sum();
      loss.backward();
      opt->step();
    }
  }
  for (size_t i = 0; i < ours.size(); ++i) {
    const double moved = (reference[i] - start[i]).abs().max().item<double>();
    ASSERT_GT(moved, 1e-3) << "parameter " << i << " barely moved: the test would prove nothing";
    const double diff = (ours[i] - reference[i]).abs().max().item<double>();
    EXPECT_LT(diff, 1e-5 * moved + 1e-6) << to_string(kind) << " parameter " << i << " (weight decay "
                                        << weight_decay << "): " << diff << " off after moving " << moved;
    EXPECT_EQ(ours[i].strides(), start[i].strides());
  }
}

TEST(Optimizer, OnePassUpdatesMatchLibTorchs) {
  configure_threads(2);
  for (OptimizerKind kind : {OptimizerKind::Adam, OptimizerKind::SGD, OptimizerKind::RMSprop})
    for (double weight_decay : {0.0, 1e-3}) expect_same_trajectory(kind, weight_decay);
}

TEST(Optimizer, SameResultOnOneThreadAndTwo) {
  TrainParams tp;
  tp.optimizer = OptimizerKind::Adam;
  tp.lr = 1e-3;
  tp.weight_decay = 1e-4;
  std::vector<torch::Tensor> results;
  for (int threads : {1, 2}) {
    configure_threads(threads);
    torch::manual_seed(5);
    torch::Tensor p = torch::randn({300000}).requires_grad_();
    auto opt = make_optimizer(tp, {p});
    for (int step = 0; step < 3; ++step) {
      opt->zero_grad();
      (p * p).sum().backward();
      opt->step();
    }
    results.push_back(p.detach());
  }
  EXPECT_TRUE(torch::equal(results[0], results[1]));
}

TEST(Optimizer, ZeroGradDropsGradients) {
  TrainParams tp;
  torch::Tensor p = torch::ones({4}).requires_grad_();
  auto opt = make_optimizer(tp, {p});
  (p * 2).sum().backward();
  ASSERT_TRUE(p.grad().defined());
  opt->zero_grad();
  EXPECT_FALSE(p.grad().defined());
  opt->step();  // no gradient: nothing moves
  EXPECT_TRUE(torch::equal(p.detach(), torch::ones({4})));
}

}  // namespace
}  // namespace pelagos
