#include <gtest/gtest.h>

#include <sndfile.h>

#include <cmath>

#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(AudioStream, ReadsNativeRateMono) {
  test::TempDir dir;
  auto x = test::sine(1000, 1.0, 16000);
  test::write_audio(dir.file("a.wav"), x, 16000);
  Audio a = read_audio(dir.file("a.wav"));
  ASSERT_EQ(a.sample_rate, 16000);
  ASSERT_EQ(a.samples.size(), x.size());
  EXPECT_NEAR(a.samples[100], x[100], 1.0 / 32768);
}

TEST(AudioStream, ResamplesToTargetRateWithCorrectLength) {
  test::TempDir dir;
  auto x = test::sine(440, 2.0, 44100);
  test::write_audio(dir.file("a.flac"), x, 44100, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  Audio a = read_audio(dir.file("a.flac"));
  EXPECT_EQ(a.sample_rate, 16000);
  EXPECT_NEAR(double(a.samples.size()), 32000.0, 2.0);
  // The tone survives: compare with an ideal 440 Hz sine's RMS.
  double rms = 0;
  for (size_t i = 1000; i < 31000; ++i) rms += a.samples[i] * a.samples[i];
  rms = std::sqrt(rms / 30000);
  EXPECT_NEAR(rms, 0.5 / std::sqrt(2.0), 0.01);
}

TEST(AudioStream, MixesOrPicksChannels) {
  test::TempDir dir;
  std::vector<float> stereo;
  for (int i = 0; i < 1600; ++i) {
    stereo.push_back(0.5f);
    stereo.push_back(-0.25f);
  }
  test::write_audio(dir.file("s.wav"), stereo, 16000, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  EXPECT_FLOAT_EQ(read_audio(dir.file("s.wav")).samples[10], 0.125f);
  AudioReadOptions right;
  right.channel = 1;
  EXPECT_FLOAT_EQ(read_audio(dir.file("s.wav"), right).samples[10], -0.25f);
  right.channel = 2;
  EXPECT_THROW(read_audio(dir.file("s.wav"), right), Error);
}

TEST(AudioStream, NotAudioNamesTheFile) {
  test::TempDir dir;
  std::string path = dir.file("notes.wav");
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is text, not audio", f);
  fclose(f);
  try {
    probe_audio(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("notes.wav"), std::string::npos);
  }
}

}  // namespace
}  // namespace pelagos
