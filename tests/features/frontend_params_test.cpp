#include <gtest/gtest.h>

#include <string>

#include "pelagos/error.h"
#include "pelagos/frontend.h"

namespace pelagos {
namespace {

std::string error_of(const nlohmann::json& j) {
  try {
    FrontendParams::from_json(j);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FrontendParams, JsonRoundTripKeepsEveryField) {
  FrontendParams p;
  p.kind = FrontendKind::Seed;
  p.channel = 1;
  p.resampler = ResamplerChoice::Soxr;
  p.hop_samples = 200;
  p.patch_hop_frames = 48;
  p.short_clip = ShortClipPolicy::Drop;
  p.mel_min_hz = 60.5;
  p.seed_clip_seconds = 2.5;
  p.seed_log_offset = 1e-7;
  FrontendParams q = FrontendParams::from_json(p.to_json());
  EXPECT_EQ(q.to_json(), p.to_json());
  EXPECT_EQ(q.fingerprint(), p.fingerprint());
  EXPECT_EQ(q.kind, FrontendKind::Seed);
  EXPECT_EQ(q.short_clip, ShortClipPolicy::Drop);
  EXPECT_EQ(q.resampler, ResamplerChoice::Soxr);
  EXPECT_EQ(q.hop_samples, 200);
  EXPECT_DOUBLE_EQ(q.mel_min_hz, 60.5);
  EXPECT_DOUBLE_EQ(q.seed_log_offset, 1e-7);
}

TEST(FrontendParams, MissingFieldsTakeDefaults) {
  FrontendParams p = FrontendParams::from_json(nlohmann::json::object({{"patch_hop_frames", 48}}));
  EXPECT_EQ(p.patch_hop_frames, 48);
  EXPECT_EQ(p.hop_samples, 160);
  EXPECT_EQ(p.kind, FrontendKind::VGGish);
  EXPECT_EQ(p.patch_samples(), 15600);
  EXPECT_EQ(p.seed_clip_samples(), 80000);
}

TEST(FrontendParams, FingerprintIsSha256AndSensitiveToEveryField) {
  FrontendParams p;
  const std::string base = p.fingerprint();
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(FrontendParams().fingerprint(), base);
  nlohmann::json j = p.to_json();
  for (auto it = j.begin(); it != j.end(); ++it) {
    SCOPED_TRACE(it.key());
    FrontendParams q = p;
    if (it.key() == "kind") q.kind = FrontendKind::Seed;
    else if (it.key() == "short_clip") q.short_clip = ShortClipPolicy::Drop;
    else if (it.key() == "resampler") q.resampler = ResamplerChoice::Sinc;
    else {
      nlohmann::json changed = j;
      // A small change that stays valid for every numeric field.
      const double v = it.value().get<double>();
      changed[it.key()] = it.value().is_number_integer() ? nlohmann::json(it.value().get<int>() + 1)
                                                         : nlohmann::json(v != 0 ? v * 0.999 : 1.0);
      if (it.key() == "channel") changed[it.key()] = 0;
      if (it.key() == "window_samples") changed[it.key()] = 399;
      q = FrontendParams::from_json(changed);
    }
    EXPECT_NE(q.fingerprint(), base);
  }
}

TEST(FrontendParams, RangeErrorsNameFieldValueAndRange) {
  EXPECT_EQ(error_of({{"hop_samples", 0}}), "frontend.hop_samples = 0: must be 1..16000");
  EXPECT_EQ(error_of({{"mel_bands", 1000}}), "frontend.mel_bands = 1000: must be 1..256");
  EXPECT_EQ(error_of({{"log_offset", -1.0}}), "frontend.log_offset = -1: must be 1e-12..10");
  FrontendParams p;
  p.patch_frames = 0;
  EXPECT_THROW(p.validate(), Error);
}

TEST(FrontendParams, RejectsUnknownFieldsWrongTypesAndBadNames) {
  EXPECT_NE(error_of({{"hop_sampels", 160}}).find("frontend.hop_sampels: unknown field"), std::string::npos);
  EXPECT_EQ(error_of({{"hop_samples", "160"}}), "frontend.hop_samples = \"160\": must be an integer");
  EXPECT_EQ(error_of({{"hop_samples", 160.5}}), "frontend.hop_samples = 160.5: must be an integer");
  EXPECT_EQ(error_of({{"mel_min_hz", true}}), "frontend.mel_min_hz = true: must be a number");
  EXPECT_NE(error_of({{"kind", "mfcc"}}).find("frontend.kind = \"mfcc\": must be one of \"vggish\", \"seed\""),
            std::string::npos);
  EXPECT_NE(error_of({{"short_clip", 1}}).find("frontend.short_clip"), std::string::npos);
  EXPECT_NE(error_of(nlohmann::json::array()).find("expected a JSON object"), std::string::npos);
}

TEST(FrontendParams, CrossFieldRules) {
  EXPECT_NE(error_of({{"fft_size", 256}}).find("frontend.fft_size = 256: must be at least window_samples (400)"),
            std::string::npos);
  EXPECT_NE(error_of({{"mel_min_hz", 8000}}).find("frontend.mel_min_hz"), std::string::npos);
  EXPECT_NE(error_of({{"mel_max_hz", 9000}}).find("must be at most sample_rate / 2 (8000)"), std::string::npos);
  EXPECT_NE(error_of({{"seed_mel_max_hz", 9000}}).find("frontend.seed_mel_max_hz"), std::string::npos);
}

TEST(FrontendParams, AudioOptionsResolveTheResampler) {
  FrontendParams p;
  p.channel = 2;
  EXPECT_EQ(p.audio_options().resampler, ResamplerKind::Soxr);
  EXPECT_EQ(p.audio_options().channel, 2);
  EXPECT_EQ(p.audio_options().target_rate, 16000);
  p.kind = FrontendKind::Seed;
  EXPECT_EQ(p.audio_options().resampler, ResamplerKind::Sinc);
  p.resampler = ResamplerChoice::Soxr;
  EXPECT_EQ(p.audio_options().resampler, ResamplerKind::Soxr);
}

}  // namespace
}  // namespace pelagos
