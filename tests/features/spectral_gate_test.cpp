// Spectral gating: a tone in known white noise gains SNR; results are
// deterministic, streamed and whole-clip patches agree, and the noise-file
// estimate works like the quiet-frames one.
#include "features/spectral_gate.h"

#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>
#include <random>

#include "features/frontend_specs.h"
#include "features/log_mel.h"
#include "features/patch_stream.h"
#include "pelagos/error.h"
#include "pelagos/frontend.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

constexpr int kRate = 16000;
constexpr double kToneHz = 1000.0;

std::vector<float> white_noise(size_t n, double stddev, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d(0.0f, float(stddev));
  std::vector<float> out(n);
  for (float& x : out) x = d(rng);
  return out;
}

// 1 s of noise alone, then 2 s of tone + noise (the tone at -6 dB SNR over the band).
std::vector<float> tone_in_noise(uint64_t seed) {
  std::vector<float> x = white_noise(3 * kRate, 0.1, seed);
  const std::vector<float> tone = test::sine(kToneHz, 2.0, kRate, 0.1);
  for (size_t i = 0; i < tone.size(); ++i) x[kRate + i] += tone[i];
  return x;
}

FrontendParams gated() {
  FrontendParams p;
  p.denoise = DenoiseKind::SpectralGate;
  return p;
}

// Energy in the tone's bins during the tone over everything else, in dB.
double snr_db(const at::Tensor& magnitude, const FrontendParams& p) {
  const at::Tensor power = magnitude.pow(2);
  const int64_t bin = std::lround(kToneHz * p.fft_size / kRate);
  const int64_t first_tone_frame = kRate / p.hop_samples + 3;
  const at::Tensor signal = power.narrow(0, bin - 2, 5).narrow(1, first_tone_frame, power.size(1) - first_tone_frame - 3);
  const double s = signal.sum().item<double>();
  return 10.0 * std::log10(s / (power.sum().item<double>() - s));
}

at::Tensor spectrum_of(const std::vector<float>& x, const FrontendParams& p) {
  const LogMel log_mel(log_mel_spec(p));
  return log_mel.spectrum(at::from_blob(const_cast<float*>(x.data()), {int64_t(x.size())}, at::kFloat).clone());
}

TEST(SpectralGate, RaisesToneSnrInWhiteNoiseBy6dB) {
  const FrontendParams p = gated();
  const std::vector<float> x = tone_in_noise(1);
  const at::Tensor before = spectrum_of(x, p);
  at::Tensor after = before.clone();
  spectral_gate(after, 1, spectral_gate_spec(p));
  const double gain = snr_db(after, p) - snr_db(before, p);
  EXPECT_GE(gain, 6.0) << "SNR before " << snr_db(before, p) << " dB, after " << snr_db(after, p) << " dB";

  // prop_decrease 0 changes nothing; off changes nothing.
  FrontendParams none = p;
  none.denoise_prop_decrease = 0.0;
  at::Tensor same = before.clone();
  spectral_gate(same, 1, spectral_gate_spec(none));
  EXPECT_TRUE(at::allclose(same, before));
  at::Tensor off = before.clone();
  spectral_gate(off, 1, spectral_gate_spec(FrontendParams{}));
  EXPECT_TRUE(at::equal(off, before));
}

TEST(SpectralGate, NoiseFileEstimateAlsoGains) {
  test::TempDir dir;
  const std::string noise = dir.file("noise.wav");
  test::write_audio(noise, white_noise(2 * kRate, 0.1, 9), kRate);
  FrontendParams p = gated();
  set_noise_profile_from_file(p, noise);
  ASSERT_EQ(p.denoise_noise_mean_db.size(), size_t(p.fft_size / 2 + 1));
  EXPECT_EQ(FrontendParams::from_json(p.to_json()).denoise_noise_mean_db, p.denoise_noise_mean_db);
  const std::vector<float> x = tone_in_noise(2);
  const at::Tensor before = spectrum_of(x, p);
  at::Tensor after = before.clone();
  spectral_gate(after, 1, spectral_gate_spec(p));
  EXPECT_GE(snr_db(after, p) - snr_db(before, p), 6.0);
  EXPECT_THROW(set_noise_profile_from_file(p, dir.file("missing.wav")), Error);
}

TEST(SpectralGate, PatchesAreDeterministicAndChangeTheFingerprint) {
  const std::vector<float> x = tone_in_noise(3);
  const FrontendParams p = gated();
  const Patches a = compute_patches(x, p), b = compute_patches(x, p), plain = compute_patches(x, FrontendParams{});
  ASSERT_EQ(a.count, plain.count);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, plain.data);
  EXPECT_NE(p.fingerprint(), FrontendParams{}.fingerprint());
  FrontendParams stronger = p;
  stronger.denoise_n_std = 2.0;
  EXPECT_NE(p.fingerprint(), stronger.fingerprint());
  EXPECT_EQ(FrontendParams::from_json(p.to_json()).fingerprint(), p.fingerprint());
  // Off: the JSON (and so every existing cache key and bundle) is what it was.
  EXPECT_FALSE(FrontendParams{}.to_json().contains("denoise"));
}

TEST(SpectralGate, StreamedPatchesEqualWholeClipBeyondOneBlock) {
  // 90 s: more than one 8192-frame block, pushed in small uneven chunks.
  std::vector<float> x = white_noise(90 * kRate, 0.05, 4);
  const std::vector<float> tone = test::sine(kToneHz, 60.0, kRate, 0.05);
  for (size_t i = 0; i < tone.size(); ++i) x[20 * kRate + i] += tone[i];
  const FrontendParams p = gated();
  const Patches whole = compute_patches(x, p);
  PatchStream stream(p);
  Patches streamed;
  for (size_t pos = 0; pos < x.size(); pos += 12345)
    stream.push(x.data() + pos, std::min<size_t>(12345, x.size() - pos), streamed);
  stream.finish(streamed);
  ASSERT_EQ(streamed.count, whole.count);
  EXPECT_EQ(streamed.data, whole.data);
}

TEST(SpectralGate, ShortClipIsPaddedToOnePatch) {
  const std::vector<float> x = white_noise(kRate / 2, 0.1, 5);
  const Patches patches = compute_patches(x, gated());
  EXPECT_EQ(patches.count, 1);
  for (float v : patches.data) ASSERT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace pelagos
