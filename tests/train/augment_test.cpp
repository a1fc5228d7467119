// Training-only augmentation: parameters (JSON, ranges, search-space routing),
// seeded determinism, and that evaluation never sees it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/runtime.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "train/augment_params.h"
#include "train/augmenter.h"
#include "train/prefix_features.h"
#include "train/search_space.h"
#include "train/synthetic_patches.h"
#include "train/trainer.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

TEST(AugmentParams, JsonRoundTripAndErrors) {
  AugmentParams a;
  EXPECT_FALSE(a.batch_level());
  a.mixup_p = 0.5;
  a.mixup_alpha = 0.4;
  a.specaugment_p = 1.0;
  a.time_masks = 3;
  a.seed = 12;
  const AugmentParams b = AugmentParams::from_json(a.to_json());
  EXPECT_EQ(b.to_json(), a.to_json());
  EXPECT_TRUE(b.batch_level());
  EXPECT_THROW(AugmentParams::from_json({{"mixup_q", 1}}), Error);
  try {
    AugmentParams::from_json({{"mixup_p", 1.5}}, "aug.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("aug.json: mixup_p = 1.5: must be 0..1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(AugmentParams::from_json({{"time_masks", 1.5}}), Error);

  test::TempDir dir;
  write_file_atomic(dir.file("a.json"), R"({"specaugment_p": 0.25})");
  EXPECT_EQ(read_augment_params(dir.file("a.json")).specaugment_p, 0.25);
  write_file_atomic(dir.file("bad.json"), "{");
  EXPECT_THROW(read_augment_params(dir.file("bad.json")), Error);
}

TEST(AugmentParams, TrialParamsRouteToTrainAugmentAndFrontend) {
  const TrialConfig c = params_for_trial(
      TrialConfig{}, {{"lr", 1e-3}, {"mixup_alpha", 0.3}, {"specaugment_p", 0.5}, {"denoise", true}, {"denoise_n_std", 2.0}},
      "trial 0");
  EXPECT_EQ(c.train.lr, 1e-3);
  EXPECT_EQ(c.augment.mixup_alpha, 0.3);
  EXPECT_EQ(c.augment.specaugment_p, 0.5);
  EXPECT_EQ(c.frontend.denoise, DenoiseKind::SpectralGate);
  EXPECT_EQ(c.frontend.denoise_n_std, 2.0);
  EXPECT_EQ(params_for_trial(TrialConfig{}, {{"denoise", "off"}}, "t").frontend.denoise, DenoiseKind::Off);
  EXPECT_THROW(params_for_trial(TrialConfig{}, {{"denoise", "loud"}}, "t"), Error);
  EXPECT_THROW(params_for_trial(TrialConfig{}, {{"mixup_p", 2.0}}, "t"), Error);

  test::TempDir dir;
  write_file_atomic(dir.file("space.json"), R"({
    "denoise": {"name": "CategoricalDistribution", "attributes": {"choices": ["off", "spectral-gate"]}},
    "mixup_alpha": {"name": "FloatDistribution", "attributes": {"low": 0.1, "high": 0.4, "step": null, "log": false}},
    "specaugment_p": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "step": null, "log": false}}})");
  EXPECT_EQ(read_search_space(dir.file("space.json")).size(), 3u);
  write_file_atomic(dir.file("bad.json"), R"({
    "mixup_p": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 2.0, "step": null, "log": false}}})");
  EXPECT_THROW(read_search_space(dir.file("bad.json")), Error);
}

AugmentParams strong(uint64_t seed) {
  AugmentParams a;
  a.specaugment_p = 1.0;
  a.time_mask_max = 0.5;
  a.freq_mask_max = 0.5;
  a.mixup_p = 1.0;
  a.seed = seed;
  return a;
}

TEST(Augmenter, SameSeedSameBatchesOtherSeedOthers) {
  const torch::Tensor x = torch::randn({8, 1, 96, 64}, torch::TensorOptions().dtype(torch::kFloat32));
  const torch::Tensor y = torch::arange(8, torch::kInt64);
  Augmenter a(strong(1), 0), b(strong(1), 0), c(strong(2), 0);
  for (int i = 0; i < 3; ++i) {
    MixedBatch ma = a.apply(x.clone(), y), mb = b.apply(x.clone(), y), mc = c.apply(x.clone(), y);
    EXPECT_TRUE(torch::equal(ma.x, mb.x));
    EXPECT_TRUE(torch::equal(ma.y_other, mb.y_other));
    EXPECT_EQ(ma.lambda, mb.lambda);
    EXPECT_FALSE(torch::equal(ma.x, mc.x));
    EXPECT_FALSE(torch::equal(ma.x, x)) << "strong augmentation changes the batch";
    EXPECT_GT(ma.lambda, 0.0);
    EXPECT_LT(ma.lambda, 1.0);
  }
  // Masking alone: stripes hold the example's mean; nothing else changes.
  AugmentParams m;
  m.specaugment_p = 1.0;
  m.time_mask_max = 0.5;
  Augmenter masker(m, 0);
  torch::Tensor z = x.clone();
  masker.mask(z);
  const torch::Tensor changed = z.ne(x);
  EXPECT_GT(changed.sum().item<int64_t>(), 0);
  EXPECT_LT(changed.sum().item<int64_t>(), x.numel());
}

TEST(Augmenter, TrainingOnlyAndReproducible) {
  configure_threads(1);
  const PatchSet train = test::synthetic_patch_set(3, 6, 2, 11);
  torch::manual_seed(0);
  VGGish base;
  PrefixCache cache;
  SplitInputs tr{&train, cache.get(base, "random:0", "synthetic", train.patches, 16)};
  const torch::Tensor prefix_before = tr.prefix.clone();
  TrainParams p;
  p.neurons = 32;
  p.epochs = 2;
  p.lr = 1e-3;
  p.batch_size = 8;
  p.optimizer = OptimizerKind::Adam;
  p.trainable_layers = 0;
  p.dropout = 0.0;
  auto fit = [&](const AugmentParams& augment) {
    TrainerOptions o;
    o.augment = augment;
    auto t = std::make_unique<Trainer>(base, p, 3, o);
    t->fit(tr);
    return t;
  };
  auto plain = fit(AugmentParams{});
  auto a = fit(strong(5));
  auto b = fit(strong(5));
  const auto wa = test::weights_of(*a), wb = test::weights_of(*b), wp = test::weights_of(*plain);
  for (size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(torch::equal(wa[i], wb[i])) << "parameter " << i;
  EXPECT_FALSE(torch::equal(wa[0], wp[0])) << "augmentation took part in training";
  EXPECT_TRUE(torch::equal(tr.prefix, prefix_before)) << "the cached prefix is never modified";

  // Evaluation (validate, test and predict all go through patch_logits) is the
  // plain forward pass of the unaugmented features, every time.
  const torch::Tensor logits = a->patch_logits(tr);
  EXPECT_TRUE(torch::equal(logits, a->patch_logits(tr)));
  a->classifier()->eval();
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::allclose(logits, a->classifier()->forward(tr.prefix), 1e-5, 1e-6));
}

}  // namespace
}  // namespace pelagos
