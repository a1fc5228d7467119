#include <gtest/gtest.h>

#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <string>

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
  EXPECT_EQ(a.nonfinite_samples, 0);
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

TEST(AudioStream, StreamedEqualsWholeFileForAnyReadSize) {
  test::TempDir dir;
  // Longer than one decode chunk, so chunk boundaries are crossed.
  std::vector<float> x;
  for (double hz : {300.0, 2000.0}) {
    auto part = test::sine(hz, 4.0, 44100);
    x.insert(x.end(), part.begin(), part.end());
  }
  test::write_audio(dir.file("a.wav"), x, 44100, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  for (int target : {0, 16000}) {
    for (ResamplerKind kind : {ResamplerKind::Soxr, ResamplerKind::Sinc}) {
      AudioReadOptions options;
      options.target_rate = target;
      options.resampler = kind;
      const Audio whole = read_audio(dir.file("a.wav"), options);
      for (size_t step : {size_t(1), size_t(999), size_t(70001)}) {
        SCOPED_TRACE(testing::Message() << "rate " << target << " " << to_string(kind) << " step " << step);
        AudioStream stream(dir.file("a.wav"), options);
        std::vector<float> got;
        size_t n;
        while ((n = stream.read(got, step)) > 0) ASSERT_LE(n, step);
        EXPECT_EQ(stream.read(got, step), 0u);  // stays at the end
        ASSERT_EQ(got, whole.samples);
      }
    }
  }
}

long resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

TEST(AudioStream, ThirtyMinutesStreamInConstantMemory) {
  test::TempDir dir;
  const std::string path = dir.file("long.wav");
  const int rate = 22050;
  const int64_t seconds = 30 * 60;
  {  // Written second by second so the test itself stays small.
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    auto tone = test::sine(441, 1.0, rate, 0.4);  // a whole number of cycles per second
    std::vector<float> frames;
    for (float v : tone) {
      frames.push_back(v);
      frames.push_back(-v);
    }
    for (int64_t s = 0; s < seconds; ++s) sf_writef_float(f, frames.data(), rate);
    sf_close(f);
  }
  AudioReadOptions right;
  right.channel = 1;
  AudioStream stream(path, right);
  EXPECT_NEAR(stream.info().duration_s(), double(seconds), 1e-9);
  std::vector<float> chunk;
  int64_t total = 0;
  double peak = 0;
  const long before = resident_kb();
  long worst = before;
  for (;;) {
    chunk.clear();
    const size_t n = stream.read(chunk, 1 << 16);
    if (n == 0) break;
    total += static_cast<int64_t>(n);
    for (float v : chunk) peak = std::max(peak, double(std::fabs(v)));
    worst = std::max(worst, resident_kb());
  }
  EXPECT_NEAR(double(total), double(seconds) * 16000, 2.0);
  EXPECT_NEAR(peak, 0.4, 0.01);
  // The whole output would be 115 MB of floats; buffers are a few MB.
  EXPECT_LT(worst - before, 24 * 1024) << "resident memory grew from " << before << " kB to " << worst << " kB";
}

}  // namespace
}  // namespace pelagos
