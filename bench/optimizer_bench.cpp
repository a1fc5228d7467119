// One optimizer step over the original's best head's first layer (12288 x 4608
// weights, 226 MB), pelagos's one-pass update against LibTorch's torch::optim,
// and a plain copy of the same size as the machine's memory-bandwidth limit.
// Counter "parameters": weights updated per second; the step is memory-bound,
// so compare bytes moved per second with the copy's.
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "model/runtime.h"
#include "train/optimizer.h"

namespace pelagos {
namespace {

constexpr int64_t kRows = 12288, kColumns = 4608;

// Floats read and written per weight by the one-pass update (weight decay on):
// SGD reads weight and gradient and writes the weight; RMSprop also reads and
// writes the square average; Adam two moments.
int64_t floats_moved(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::SGD:
      return 3;
    case OptimizerKind::RMSprop:
      return 5;
    case OptimizerKind::Adam:
      return 7;
  }
  return 0;
}

void BM_OptimizerStep(benchmark::State& state) {
  configure_threads(2);
  const auto implementation =
      state.range(0) ? OptimizerImplementation::OnePass : OptimizerImplementation::LibTorch;
  const auto kind = static_cast<OptimizerKind>(state.range(1));
  state.SetLabel(std::string(to_string(kind)) + (state.range(0) ? " one-pass" : " torch::optim"));
  TrainParams p;
  p.optimizer = kind;
  p.lr = 1e-4;
  p.weight_decay = 1e-4;
  torch::manual_seed(0);
  torch::Tensor w = torch::randn({kRows, kColumns}).requires_grad_();
  w.mutable_grad() = torch::randn({kRows, kColumns}) * 1e-3;
  auto optimizer = make_optimizer(p, {w}, implementation);
  optimizer->step();  // creates the state tensors outside the timed loop
  for (auto _ : state) optimizer->step();
  const double n = double(w.numel()) * double(state.iterations());
  state.counters["parameters"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  // What the one-pass update must move, whichever implementation ran.
  state.SetBytesProcessed(int64_t(n) * floats_moved(kind) * int64_t(sizeof(float)));
}
BENCHMARK(BM_OptimizerStep)
    ->ArgsProduct({{0, 1}, {int(OptimizerKind::SGD), int(OptimizerKind::RMSprop), int(OptimizerKind::Adam)}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The bandwidth limit: copying the weights (one float read, one written).
void BM_MemoryCopy(benchmark::State& state) {
  configure_threads(2);
  torch::Tensor from = torch::randn({kRows, kColumns}), to = torch::empty_like(from);
  to.copy_(from);
  for (auto _ : state) to.copy_(from);
  state.SetBytesProcessed(int64_t(from.numel()) * 2 * int64_t(sizeof(float)) * int64_t(state.iterations()));
}
BENCHMARK(BM_MemoryCopy)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace pelagos
