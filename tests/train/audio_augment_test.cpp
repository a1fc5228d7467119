// Raw-audio augmentation: reproducible per (seed, clip, variant), noise at the
// drawn SNR, speed via libsoxr, and variants computed once then served from the cache.
#include "train/audio_augment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

constexpr int kRate = 16000;

struct Fixture {
  test::TempDir dir;
  std::vector<Clip> clips;
  Fixture() {
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.01f);
    for (int i = 0; i < 3; ++i) {
      std::vector<float> x = test::sine(500.0 * (i + 1), 1.5, kRate, 0.3);
      for (size_t k = 0; k < size_t(kRate) / 2; ++k) x[k] = noise(rng);  // a quiet first half second
      Clip c;
      c.split = "train";
      c.file_name = fmt::format("c{}.wav", i);
      c.path = dir.file(c.file_name);
      c.label = i % 2;
      test::write_audio(c.path, x, kRate);
      clips.push_back(c);
    }
  }
};

std::vector<float> decoded(const Clip& c) { return read_audio(c.path, FrontendParams{}.audio_options()).samples; }

TEST(AudioAugmenter, ReproduciblePerSeedClipAndVariant) {
  Fixture f;
  AugmentParams p;
  p.variants = 2;
  p.noise_p = p.gain_p = p.shift_p = p.speed_p = 1.0;
  p.seed = 4;
  const AudioAugmenter a(p, f.clips, FrontendParams{}), b(p, f.clips, FrontendParams{});
  auto run = [&](const AudioAugmenter& aug, size_t clip, int variant) {
    std::vector<float> x = decoded(f.clips[clip]);
    aug.apply(clip, variant, x);
    return x;
  };
  EXPECT_EQ(run(a, 1, 1), run(b, 1, 1));
  EXPECT_NE(run(a, 1, 1), run(a, 1, 2));
  EXPECT_NE(run(a, 1, 1), decoded(f.clips[1]));
  EXPECT_NE(a.id(1), a.id(2));
  p.seed = 5;
  const AudioAugmenter c(p, f.clips, FrontendParams{});
  EXPECT_NE(run(a, 1, 1), run(c, 1, 1));
  EXPECT_NE(a.id(1), c.id(1));
}

TEST(AudioAugmenter, NoiseAtTheDrawnSnrAndSpeedChangesLength) {
  Fixture f;
  AugmentParams p;
  p.variants = 1;
  p.noise_p = 1.0;
  p.noise_snr_min_db = p.noise_snr_max_db = 10.0;
  const AudioAugmenter noisy(p, f.clips, FrontendParams{});
  const std::vector<float> clean = decoded(f.clips[0]);
  std::vector<float> x = clean;
  noisy.apply(0, 1, x);
  double s = 0, n = 0;
  for (size_t i = 0; i < x.size(); ++i) s += double(clean[i]) * clean[i], n += double(x[i] - clean[i]) * (x[i] - clean[i]);
  EXPECT_NEAR(10.0 * std::log10(s / n), 10.0, 0.1);

  AugmentParams q;
  q.variants = 1;
  q.speed_p = 1.0;
  q.speed_max = 0.2;
  const AudioAugmenter fast(q, f.clips, FrontendParams{});
  std::vector<float> y = clean;
  fast.apply(0, 1, y);
  const double factor = double(clean.size()) / double(y.size());
  EXPECT_GE(factor, 0.8 - 0.01);
  EXPECT_LE(factor, 1.2 + 0.01);
  EXPECT_NE(y.size(), clean.size());

  AugmentParams bad;
  bad.variants = 1;
  bad.noise_p = 1.0;
  bad.noise_dir = f.dir.file("nowhere");
  EXPECT_THROW(AudioAugmenter(bad, f.clips, FrontendParams{}), Error);
}

TEST(AudioAugmenter, VariantsAreCachedAndKeyedByTheirParameters) {
  Fixture f;
  test::TempDir cache;
  AugmentParams p;
  p.variants = 1;
  p.gain_p = p.noise_p = 1.0;
  const AudioAugmenter aug(p, f.clips, FrontendParams{});
  FeatureOptions fo;
  fo.cache_dir = cache.path().string();
  fo.quiet = true;
  fo.threads = 1;
  const ClipFeatures plain = load_features(f.clips, FrontendParams{}, fo);
  fo.transform = [&aug](size_t clip, std::vector<float>& x) { aug.apply(clip, 1, x); };
  fo.transform_id = aug.id(1);
  const ClipFeatures first = load_features(f.clips, FrontendParams{}, fo);
  EXPECT_EQ(first.stats.computed, 3) << "the plain entries are not served for a variant";
  const ClipFeatures second = load_features(f.clips, FrontendParams{}, fo);
  EXPECT_EQ(second.stats.cache_hits, 3);
  EXPECT_EQ(second.data, first.data);
  EXPECT_NE(first.data, plain.data);
}

}  // namespace
}  // namespace pelagos
