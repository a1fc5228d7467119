// Sample rates from 1 kHz to 384 kHz through both resamplers: output length
// and a tone's frequency and level are preserved.
#include <gtest/gtest.h>

#include <sndfile.h>

#include <cmath>
#include <string>

#include "pelagos/audio.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

// Frequency from upward zero crossings over the middle half.
double tone_hz(const std::vector<float>& x, int rate) {
  const size_t from = x.size() / 4, to = 3 * x.size() / 4;
  size_t first = 0, last = 0, count = 0;
  for (size_t i = from + 1; i < to; ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      if (count == 0) first = i;
      last = i;
      ++count;
    }
  }
  return count > 1 ? double(count - 1) * rate / double(last - first) : 0.0;
}

// RMS over the middle half (a sampled tone's peak depends on where the samples fall).
double rms(const std::vector<float>& x) {
  double s = 0;
  const size_t from = x.size() / 4, to = 3 * x.size() / 4;
  for (size_t i = from; i < to; ++i) s += double(x[i]) * x[i];
  return std::sqrt(s / double(to - from));
}

TEST(AudioRates, ResamplesAnyRateTo16kKeepingLengthAndTone) {
  for (int rate : {1000, 8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000, 250000, 384000}) {
    const double hz = 0.2 * std::min(rate, 16000);
    const double seconds = 1.0;
    test::TempDir dir;
    auto x = test::sine(hz, seconds, rate, 0.5);
    test::write_audio(dir.file("tone.wav"), x, rate, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    for (ResamplerKind kind : {ResamplerKind::Soxr, ResamplerKind::Sinc}) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, " << to_string(kind));
      AudioReadOptions options;
      options.resampler = kind;
      Audio a = read_audio(dir.file("tone.wav"), options);
      ASSERT_EQ(a.sample_rate, 16000);
      const double exact = double(x.size()) * 16000 / rate;
      if (kind == ResamplerKind::Sinc) {
        EXPECT_EQ(a.samples.size(), size_t(std::ceil(exact - 1e-9)));
      } else {
        EXPECT_NEAR(double(a.samples.size()), exact, 1.0);
      }
      EXPECT_NEAR(tone_hz(a.samples, 16000), hz, hz * 0.002);
      EXPECT_NEAR(rms(a.samples), 0.5 / std::sqrt(2.0), 0.01);
    }
  }
}

TEST(AudioRates, KeepsNativeRateWhenAskedAndResamplesToOtherTargets) {
  test::TempDir dir;
  auto x = test::sine(1000, 0.5, 44100);
  test::write_audio(dir.file("a.wav"), x, 44100, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  AudioReadOptions native;
  native.target_rate = 0;
  Audio a = read_audio(dir.file("a.wav"), native);
  EXPECT_EQ(a.sample_rate, 44100);
  EXPECT_EQ(a.samples, x);
  AudioReadOptions to8k;
  to8k.target_rate = 8000;
  Audio b = read_audio(dir.file("a.wav"), to8k);
  EXPECT_EQ(b.sample_rate, 8000);
  EXPECT_NEAR(tone_hz(b.samples, 8000), 1000, 2);
}

TEST(AudioRates, AliasingAboveTheNewNyquistIsRemoved) {
  // A 12 kHz tone at 48 kHz has no place at 16 kHz: both resamplers must suppress it.
  test::TempDir dir;
  test::write_audio(dir.file("hi.wav"), test::sine(12000, 1.0, 48000, 0.5), 48000, 1,
                    SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  for (ResamplerKind kind : {ResamplerKind::Soxr, ResamplerKind::Sinc}) {
    SCOPED_TRACE(to_string(kind));
    AudioReadOptions options;
    options.resampler = kind;
    EXPECT_LT(rms(read_audio(dir.file("hi.wav"), options).samples), 0.005);
  }
}

}  // namespace
}  // namespace pelagos
