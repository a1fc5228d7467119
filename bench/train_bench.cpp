// Training throughput (counter "examples", a rate in patches per second): one
// epoch of the original's best parameters (1 x 4608, batch 64, RMSprop,
// trainable_layers 5) from cached pool3 activations, on 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "model/base_network.h"
#include "model/runtime.h"
#include "train/prefix_features.h"
#include "train/trainer.h"

namespace pelagos {
namespace {

void BM_TrainEpochOriginalBest(benchmark::State& state) {
  configure_threads(static_cast<int>(state.range(0)));
  PatchSet set;
  torch::manual_seed(0);
  for (int c = 0; c < 128; ++c) set.add_clip(torch::randn({1, 96, 64}), c % 10, "clip");
  set.finish();
  BaseNetwork base = make_base_network({"", true, 0});
  PrefixCache cache;
  SplitInputs train{&set, cache.get(base.net, base.identity, "bench", set.patches, first_trainable_module(5))};
  TrainParams p;
  p.epochs = 1;
  Trainer trainer(base.net, p, 10);
  for (auto _ : state) trainer.fit(train);
  state.counters["examples"] =
      benchmark::Counter(double(set.num_patches()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainEpochOriginalBest)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace pelagos
