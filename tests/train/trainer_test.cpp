#include "train/trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <ATen/autocast_mode.h>

#include <cmath>

#include "model/runtime.h"
#include "train/prefix_features.h"
#include "train/synthetic_patches.h"

namespace pelagos {
namespace {

TrainParams tiny_params(int trainable_layers, int epochs) {
  TrainParams p;
  p.neurons = 32;
  p.epochs = epochs;
  p.lr = 1e-3;
  p.batch_size = 8;
  p.optimizer = OptimizerKind::Adam;
  p.trainable_layers = trainable_layers;
  p.seed = 7;
  return p;
}

VGGish random_base(uint64_t seed) {
  torch::manual_seed(seed);
  return VGGish();
}

TEST(Trainer, LearnsSyntheticClassesFromCachedPrefix) {
  configure_threads(1);
  const PatchSet train = test::synthetic_patch_set(3, 8, 2, 1);
  const PatchSet validate = test::synthetic_patch_set(3, 4, 2, 2);
  VGGish base = random_base(0);
  PrefixCache cache;
  SplitInputs tr{&train, cache.get(base, "random:0", "synthetic", train.patches, 16)};
  SplitInputs va{&validate, cache.get(base, "random:0", "synthetic", validate.patches, 16)};
  EXPECT_EQ(cache.computed(), 2);
  EXPECT_EQ(tr.prefix.sizes(), (std::vector<int64_t>{train.num_patches(), 512, 6, 4}));

  std::vector<double> reported;
  TrainerOptions options;
  options.on_epoch = [&](int epoch, double acc) {
    EXPECT_EQ(epoch, static_cast<int>(reported.size()) + 1);
    reported.push_back(acc);
    return true;
  };
  Trainer trainer(base, tiny_params(0, 4), 3, options);
  TrainResult r = trainer.fit(tr, &va);
  ASSERT_EQ(r.epochs.size(), 4u);
  ASSERT_EQ(reported.size(), 4u);
  EXPECT_LT(r.epochs.back().loss, r.epochs.front().loss);
  EXPECT_GE(reported.back(), 0.9) << "chance is 1/3";
  EXPECT_DOUBLE_EQ(trainer.clip_accuracy(va), reported.back());
}

TEST(Trainer, SameSeedIsBitIdenticalAndCallbackStops) {
  configure_threads(1);
  const PatchSet train = test::synthetic_patch_set(3, 6, 2, 3);
  VGGish base = random_base(0);
  PrefixCache cache;
  SplitInputs tr{&train, cache.get(base, "random:0", "synthetic", train.patches, 16)};
  TrainParams p = tiny_params(0, 3);
  p.optimizer = OptimizerKind::RMSprop;
  p.dropout = 0.5;  // dropout draws must repeat too

  auto run = [&](int stop_after) {
    TrainerOptions options;
    options.on_epoch = [stop_after](int epoch, double) { return epoch < stop_after; };
    Trainer t(base, p, 3, options);
    TrainResult r = t.fit(tr);
    return std::make_pair(r, test::weights_of(t));
  };
  auto [a, wa] = run(99);
  auto [b, wb] = run(99);
  ASSERT_EQ(a.epochs.size(), 3u);
  EXPECT_FALSE(a.stopped);
  for (size_t e = 0; e < a.epochs.size(); ++e) EXPECT_EQ(a.epochs[e].loss, b.epochs[e].loss);
  ASSERT_EQ(wa.size(), wb.size());
  for (size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(torch::equal(wa[i], wb[i])) << "parameter " << i;

  auto [c, wc] = run(2);
  EXPECT_TRUE(c.stopped);
  EXPECT_EQ(c.epochs.size(), 2u);

  p.seed = 8;
  Trainer other(base, p, 3);
  other.fit(tr);
  EXPECT_FALSE(torch::equal(test::weights_of(other)[0], wa[0])) << "another seed gives another model";
}

TEST(Trainer, Bfloat16LearnsWithFloat32WeightsAndCache) {
  configure_threads(1);
  const PatchSet train = test::synthetic_patch_set(3, 8, 2, 1);
  const PatchSet validate = test::synthetic_patch_set(3, 4, 2, 2);
  VGGish base = random_base(0);
  const int first = first_trainable_module(5);  // conv4 trains too: convolutions and products under autocast
  PrefixCache cache;
  SplitInputs tr{&train, cache.get(base, "random:0", "synthetic", train.patches, first)};
  SplitInputs va{&validate, cache.get(base, "random:0", "synthetic", validate.patches, first)};
  {
    // The prefix is float32 whatever the caller's precision: it is shared on disk.
    PrecisionScope bf16(Precision::BFloat16, torch::kCPU);
    EXPECT_TRUE(torch::equal(compute_prefix(base, train.patches, first), tr.prefix));
  }
  const TrainParams p = tiny_params(5, 4);
  TrainerOptions options;
  options.precision = Precision::BFloat16;
  Trainer b16(base, p, 3, options), f32(base, p, 3);
  const TrainResult rb = b16.fit(tr, &va), rf = f32.fit(tr, &va);
  EXPECT_FALSE(at::autocast::is_cpu_enabled()) << "fit restores the caller's precision";
  EXPECT_LT(rb.epochs.back().loss, rb.epochs.front().loss);
  EXPECT_GE(rb.epochs.back().val_acc, 0.9) << "chance is 1/3";
  EXPECT_NEAR(rb.epochs.front().loss, rf.epochs.front().loss, 0.05 * rf.epochs.front().loss);
  const auto wb = test::weights_of(b16), wf = test::weights_of(f32);
  bool differ = false;
  for (size_t i = 0; i < wb.size(); ++i) {
    EXPECT_EQ(wb[i].scalar_type(), torch::kFloat32) << "parameter " << i;
    differ = differ || !torch::equal(wb[i], wf[i]);
  }
  EXPECT_TRUE(differ) << "bfloat16 training gave float32's weights: autocast did not run";
}

TEST(Trainer, CachedPrefixMatchesRecomputedPrefix) {
  configure_threads(1);
  const PatchSet train = test::synthetic_patch_set(2, 6, 2, 4);
  VGGish base = random_base(1);
  PrefixCache cache;
  const int first = first_trainable_module(5);
  SplitInputs cached{&train, cache.get(base, "random:1", "synthetic", train.patches, first)};
  SplitInputs live{&train, {}};
  EXPECT_EQ(cached.prefix.sizes(), (std::vector<int64_t>{train.num_patches(), 256, 12, 8}));

  TrainParams p = tiny_params(5, 2);
  Trainer a(base, p, 2), b(base, p, 2);
  TrainResult ra = a.fit(cached), rb = b.fit(live);
  for (size_t e = 0; e < ra.epochs.size(); ++e) EXPECT_NEAR(ra.epochs[e].loss, rb.epochs[e].loss, 1e-6);
  auto wa = test::weights_of(a), wb = test::weights_of(b);
  for (size_t i = 0; i < wa.size(); ++i) EXPECT_LE((wa[i] - wb[i]).abs().max().item<double>(), 1e-6);
  // The base network is not changed by fine-tuning the tail.
  EXPECT_TRUE(torch::equal(a.base()->features[11]->as<torch::nn::Conv2d>()->weight,
                           random_base(1)->features[11]->as<torch::nn::Conv2d>()->weight));
}

TEST(Trainer, BalancedClassWeightsStillLearn) {
  configure_threads(1);
  PatchSet train = test::synthetic_patch_set(2, 6, 1, 5);
  VGGish base = random_base(0);
  PrefixCache cache;
  SplitInputs tr{&train, cache.get(base, "random:0", "synthetic", train.patches, 16)};
  TrainParams p = tiny_params(0, 3);
  p.class_weights = ClassWeighting::Balanced;
  Trainer t(base, p, 2);
  TrainResult r = t.fit(tr);
  EXPECT_TRUE(std::isfinite(r.epochs.back().loss));
  EXPECT_GE(t.clip_accuracy(tr), 0.9);
}

}  // namespace
}  // namespace pelagos
