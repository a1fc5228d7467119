// Training throughput with and without batch augmentation (issue #10), counter
// "examples" = patches per second of one epoch from the cached prefix:
// arg 0 = mode (0 none, 1 SpecAugment p=1, 2 mixup p=1, 3 both), arg 1 =
// trainable_layers (0: head only, 5: the original's conv4 fine-tuning).
// Raw-audio variants cost nothing per epoch (each epoch trains on one cached
// variant); their one-time cost is a feature + prefix pass per variant.
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "model/base_network.h"
#include "model/runtime.h"
#include "train/prefix_features.h"
#include "train/trainer.h"

namespace pelagos {
namespace {

void BM_TrainEpochAugment(benchmark::State& state) {
  configure_threads(1);
  const int mode = static_cast<int>(state.range(0));
  const int layers = static_cast<int>(state.range(1));
  PatchSet set;
  torch::manual_seed(0);
  const int clips = layers == 0 ? 512 : 64;
  for (int c = 0; c < clips; ++c) set.add_clip(torch::randn({1, 96, 64}), c % 10, "clip");
  set.finish();
  BaseNetwork base = make_base_network({"", true, 0});
  PrefixCache cache;
  SplitInputs train{&set, cache.get(base.net, base.identity, "bench", set.patches, first_trainable_module(layers))};
  TrainParams p;
  p.epochs = 1;
  p.trainable_layers = layers;
  TrainerOptions o;
  o.augment.specaugment_p = (mode & 1) ? 1.0 : 0.0;
  o.augment.mixup_p = (mode & 2) ? 1.0 : 0.0;
  Trainer trainer(base.net, p, 10, o);
  for (auto _ : state) trainer.fit(train);
  state.counters["examples"] =
      benchmark::Counter(double(set.num_patches()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainEpochAugment)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 5}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace pelagos
