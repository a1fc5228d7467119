// Every container / sample encoding we promise to read, written by libsndfile
// here and decoded back at the native rate.
#include <gtest/gtest.h>

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "pelagos/audio.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

struct Case {
  const char* file;
  int format;
  const char* container;
  const char* encoding;
  double tolerance;  // max abs sample error; < 0: lossy, compare the level only
};

bool writable(int format) {
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = format;
  return sf_format_check(&info) != 0;
}

double rms(const std::vector<float>& x, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += double(x[i]) * x[i];
  return std::sqrt(s / double(to - from));
}

TEST(AudioFormats, DecodesEveryEncodingAtNativeRate) {
  const Case cases[] = {
      {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, "WAV", "PCM_U8", 1.0 / 128},
      {"s16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, "WAV", "PCM_16", 1.0 / 32768},
      {"s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, "WAV", "PCM_24", 1.0 / 8388608},
      {"s32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, "WAV", "PCM_32", 1e-7},
      {"f32.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, "WAV", "FLOAT", 0.0},
      {"f64.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, "WAV", "DOUBLE", 0.0},
      {"s16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "FLAC", "PCM_16", 1.0 / 32768},
      {"s24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, "FLAC", "PCM_24", 1.0 / 8388608},
      {"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, "OGA", "VORBIS", -1},
      {"s16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, "AIFF", "PCM_16", 1.0 / 32768},
      {"tone.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, "MP3", "MP3", -1},
  };
  const auto x = test::sine(440, 1.0, 16000, 0.5);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    if (!writable(c.format)) {
      // The installed libsndfile was built without this codec.
      std::cout << "[  SKIPPED ] " << c.file << ": this libsndfile cannot write it\n";
      continue;
    }
    test::TempDir dir;
    test::write_audio(dir.file(c.file), x, 16000, 1, c.format);
    AudioInfo info = probe_audio(dir.file(c.file));
    EXPECT_EQ(info.format, c.container);
    EXPECT_EQ(info.encoding, c.encoding);
    EXPECT_EQ(info.sample_rate, 16000);
    EXPECT_EQ(info.channels, 1);
    AudioReadOptions native;
    native.target_rate = 0;
    Audio a = read_audio(dir.file(c.file), native);
    EXPECT_EQ(a.sample_rate, 16000);
    if (c.tolerance >= 0) {
      ASSERT_EQ(a.samples.size(), x.size());
      double worst = 0;
      for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(double(a.samples[i]) - x[i]));
      EXPECT_LE(worst, c.tolerance);
    } else {
      // Lossy codecs: the length may gain encoder padding; the tone's level survives.
      ASSERT_GE(a.samples.size(), x.size() * 9 / 10);
      EXPECT_NEAR(rms(a.samples, 2000, 14000), 0.5 / std::sqrt(2.0), 0.02);
    }
  }
}

TEST(AudioFormats, NonFiniteFloatSamplesAreZeroedAndCounted) {
  test::TempDir dir;
  std::vector<float> x = test::sine(300, 0.5, 16000);
  x[10] = NAN;
  x[20] = INFINITY;
  x[30] = -INFINITY;
  test::write_audio(dir.file("bad.wav"), x, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  Audio a = read_audio(dir.file("bad.wav"));
  EXPECT_EQ(a.nonfinite_samples, 3);
  EXPECT_EQ(a.samples[10], 0.0f);
  EXPECT_EQ(a.samples[20], 0.0f);
  EXPECT_EQ(a.samples[30], 0.0f);
  EXPECT_EQ(a.samples[40], x[40]);
  for (float v : a.samples) ASSERT_TRUE(std::isfinite(v));
  // Resampled output stays finite too, and the stream reports the count.
  AudioReadOptions to8k;
  to8k.target_rate = 8000;
  AudioStream s(dir.file("bad.wav"), to8k);
  std::vector<float> out;
  while (s.read(out, 1000) > 0) {
  }
  EXPECT_EQ(s.nonfinite_samples(), 3);
  for (float v : out) ASSERT_TRUE(std::isfinite(v));
}

TEST(AudioFormats, MixesOrPicksAnyOfEightChannels) {
  for (int channels = 1; channels <= 8; ++channels) {
    SCOPED_TRACE(channels);
    test::TempDir dir;
    std::vector<float> x;
    const int frames = 2000;
    for (int i = 0; i < frames; ++i)
      for (int c = 0; c < channels; ++c) x.push_back(0.1f * float(c + 1) * (i % 2 ? 1.0f : -1.0f));
    test::write_audio(dir.file("multi.wav"), x, 16000, channels, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    EXPECT_EQ(probe_audio(dir.file("multi.wav")).channels, channels);
    Audio mean = read_audio(dir.file("multi.wav"));
    ASSERT_EQ(mean.samples.size(), size_t(frames));
    EXPECT_NEAR(mean.samples[1], 0.1 * (channels + 1) / 2.0, 1e-6);
    for (int c = 0; c < channels; ++c) {
      AudioReadOptions pick;
      pick.channel = c;
      EXPECT_NEAR(read_audio(dir.file("multi.wav"), pick).samples[1], 0.1 * (c + 1), 1e-6);
    }
  }
}

}  // namespace
}  // namespace pelagos
