// compute_patches on generated signals: mel band placement, patch arithmetic,
// patch hop, the short-clip policy, and the seed frontend's clip handling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <ATen/ops/equal.h>
#include <ATen/ops/ones.h>

#include "features/frontend_specs.h"
#include "features/log_mel.h"
#include "features/mel_filterbank.h"
#include "pelagos/error.h"
#include "pelagos/frontend.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

// The band whose centre (in mel) is nearest to `hz`, from the mel scale itself.
int expected_band(double hz, double lo, double hi, int bands) {
  auto mel = [](double f) { return 1127.0 * std::log(1.0 + f / 700.0); };
  int best = 0;
  for (int m = 0; m < bands; ++m) {
    const double centre = mel(lo) + (mel(hi) - mel(lo)) * (m + 1) / (bands + 1);
    if (std::fabs(centre - mel(hz)) < std::fabs(mel(lo) + (mel(hi) - mel(lo)) * (best + 1) / (bands + 1) - mel(hz)))
      best = m;
  }
  return best;
}

int peak_band(const Patches& p, int64_t patch, int frame) {
  const float* row = p.data.data() + (patch * p.frames + frame) * p.bands;
  return int(std::max_element(row, row + p.bands) - row);
}

TEST(Frontend, ToneLandsInItsMelBand) {
  for (double hz : {500.0, 1000.0, 3000.0}) {
    SCOPED_TRACE(hz);
    auto x = test::sine(hz, 2.0, 16000);
    FrontendParams vggish;
    Patches v = compute_patches(x, vggish);
    ASSERT_EQ(v.count, 2);
    EXPECT_EQ(peak_band(v, 1, 50), expected_band(hz, 125, 7500, 64));
    FrontendParams seed;
    seed.kind = FrontendKind::Seed;
    Patches s = compute_patches(x, seed);
    ASSERT_EQ(s.count, 1);
    EXPECT_EQ(peak_band(s, 0, 10), expected_band(hz, 0, 8000, 64));
  }
  // The reference fixture's own fact: frame 0 of a 1 kHz tone peaks at band 19.
  EXPECT_EQ(expected_band(1000, 125, 7500, 64), 19);
}

TEST(Frontend, MelFilterbankShape) {
  MelFilterbankSpec spec;
  at::Tensor fb = mel_filterbank(spec);
  ASSERT_EQ(fb.size(0), 257);
  ASSERT_EQ(fb.size(1), 64);
  EXPECT_EQ(fb[0].abs().sum().item<float>(), 0.0f);  // DC bin carries no weight
  EXPECT_LE(fb.max().item<float>(), 1.0f);
  EXPECT_GT(fb.max().item<float>(), 0.5f);
}

int64_t expected_patches(int64_t samples, int hop_frames, bool pad) {
  const int64_t frames = samples >= 400 ? 1 + (samples - 400) / 160 : 0;
  const int64_t n = frames >= 96 ? 1 + (frames - 96) / hop_frames : 0;
  return (n == 0 && pad && samples > 0) ? 1 : n;
}

// Shared LogMels must give what a fresh one gives, and never mix up specs.
TEST(Frontend, SharedLogMelMatchesFreshOnePerSpec) {
  FrontendParams vggish, seed;
  seed.kind = FrontendKind::Seed;
  const at::Tensor x = at::ones({16000}, at::kFloat);
  for (const FrontendParams& p : {vggish, seed}) {
    const LogMelSpec spec = log_mel_spec(p);
    EXPECT_TRUE(at::equal(LogMel::shared(spec)(x), LogMel(spec)(x)));
    EXPECT_TRUE(at::equal(LogMel::shared(spec)(x), LogMel::shared(spec)(x)));
  }
  LogMelSpec narrow = log_mel_spec(vggish);
  narrow.mel.max_hz = 4000;
  EXPECT_FALSE(at::equal(LogMel::shared(narrow)(x), LogMel::shared(log_mel_spec(vggish))(x)));
}

TEST(Frontend, PatchCountArithmetic) {
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  for (int hop : {96, 48, 100}) {
    for (int64_t n : {0L, 100L, 399L, 400L, 15599L, 15600L, 15759L, 15760L, 31200L, 48000L, 80321L}) {
      for (auto policy : {ShortClipPolicy::PadToOnePatch, ShortClipPolicy::Drop}) {
        SCOPED_TRACE(testing::Message() << "hop " << hop << " samples " << n);
        std::vector<float> x(static_cast<size_t>(n));
        for (auto& v : x) v = noise(rng);
        FrontendParams p;
        p.patch_hop_frames = hop;
        p.short_clip = policy;
        Patches out = compute_patches(x, p);
        const int64_t want = expected_patches(n, hop, policy == ShortClipPolicy::PadToOnePatch);
        ASSERT_EQ(out.count, want);
        ASSERT_EQ(out.data.size(), size_t(want) * 96 * 64);
        ASSERT_EQ(out.start_s.size(), size_t(want));
        for (int64_t k = 0; k < want; ++k) EXPECT_DOUBLE_EQ(out.start_s[k], k * hop * 160 / 16000.0);
      }
    }
  }
}

TEST(Frontend, PatchHopSharesFrames) {
  auto x = test::sine(700, 3.0, 16000);
  for (size_t i = 0; i < x.size(); ++i) x[i] *= float(i) / float(x.size());  // make frames differ
  FrontendParams half;
  half.patch_hop_frames = 48;
  Patches h = compute_patches(x, half);
  Patches full = compute_patches(x, FrontendParams());
  ASSERT_GE(h.count, 3);
  // Patch 1 at hop 48 starts at frame 48: its first half is patch 0's second half.
  for (int f = 0; f < 48; ++f)
    for (int b = 0; b < 64; ++b)
      EXPECT_FLOAT_EQ(h.data[(96 + f) * 64 + b], full.data[(48 + f) * 64 + b]);
  // Patch 2 at hop 48 is patch 1 at hop 96.
  for (int i = 0; i < 96 * 64; ++i) EXPECT_NEAR(h.data[2 * 96 * 64 + i], full.data[96 * 64 + i], 1e-5);
}

TEST(Frontend, ShortClipIsZeroPaddedToOnePatch) {
  auto x = test::sine(1000, 0.5, 16000);  // 8000 samples: 48 frames
  FrontendParams drop;
  drop.short_clip = ShortClipPolicy::Drop;
  EXPECT_EQ(compute_patches(x, drop).count, 0);
  Patches padded = compute_patches(x, FrontendParams());
  ASSERT_EQ(padded.count, 1);
  std::vector<float> by_hand = x;
  by_hand.resize(15600, 0.0f);
  Patches want = compute_patches(by_hand, drop);
  ASSERT_EQ(want.count, 1);
  EXPECT_EQ(padded.data, want.data);
  // The padded tail is silence: log(0 + 0.01).
  EXPECT_NEAR(padded.data[95 * 64 + 10], std::log(0.01), 1e-6);
}

TEST(Frontend, SeedNormalisesTrimsAndPads) {
  FrontendParams seed;
  seed.kind = FrontendKind::Seed;
  auto x = test::sine(1000, 3.0, 16000, 0.5);
  auto louder = test::sine(1000, 3.0, 16000, 0.05);
  Patches a = compute_patches(x, seed), b = compute_patches(louder, seed);
  ASSERT_EQ(a.count, 1);
  for (size_t i = 0; i < a.data.size(); ++i) ASSERT_NEAR(a.data[i], b.data[i], 2e-3) << i;  // peak-normalised
  // 3 s of tone in a 5 s clip: the last rows are the zero padding, log(1e-6).
  EXPECT_NEAR(a.data[95 * 64 + 5], std::log(1e-6), 1e-4);
  // Longer than 5 s: only the first 5 s count, but the peak is taken over the whole clip.
  auto longer = test::sine(1000, 7.0, 16000, 0.5);
  for (size_t i = 6 * 16000; i < longer.size(); ++i) longer[i] *= 4;  // peak after 5 s
  Patches c = compute_patches(longer, seed);
  ASSERT_EQ(c.count, 1);
  Patches plain = compute_patches(test::sine(1000, 7.0, 16000, 0.5), seed);
  const size_t cell = 40 * 64 + size_t(expected_band(1000, 0, 8000, 64));
  EXPECT_GT(plain.data[cell], 0.0f);
  EXPECT_NEAR(c.data[cell], plain.data[cell] + std::log(1.0 / 16), 0.05);  // amplitude / 4 = power / 16
  // Empty input gives the reference's silent patch.
  Patches e = compute_patches({}, seed);
  ASSERT_EQ(e.count, 1);
  EXPECT_NEAR(e.data[0], std::log(1e-6), 1e-5);
}

TEST(Frontend, RejectsInvalidParams) {
  FrontendParams p;
  p.hop_samples = 0;
  EXPECT_THROW(compute_patches(std::vector<float>(16000), p), Error);
}

}  // namespace
}  // namespace pelagos
