// The torchaudio-compatible resampler against torchaudio's own output
// (shared/reference/frontend/seed/*.resampled16k.npy), and as a stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "audio/sinc_resampler.h"
#include "pelagos/audio.h"
#include "support/test_support.h"
#include "util/npy.h"

namespace pelagos {
namespace {

TEST(SincResampler, MatchesTorchaudioOnReferenceInputs) {
  PELAGOS_REQUIRE_SHARED();
  for (const char* name : {"chirp44k", "watkins_native"}) {
    SCOPED_TRACE(name);
    const std::string dir = test::shared_dir() + "/reference/frontend/";
    AudioReadOptions options;
    options.resampler = ResamplerKind::Sinc;
    Audio got = read_audio(dir + "inputs/" + name + ".wav", options);
    std::vector<float> want = read_npy(dir + "seed/" + name + ".resampled16k.npy").to_float();
    ASSERT_EQ(got.samples.size(), want.size());
    double worst = 0;
    for (size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::fabs(double(got.samples[i]) - want[i]));
    // torchaudio's own float32 vs float64 difference is 3.5e-6.
    EXPECT_LT(worst, 2e-5);
  }
}

std::vector<float> resample_in_chunks(const std::vector<float>& x, int in_rate, int out_rate, size_t chunk) {
  SincResampler r(in_rate, out_rate);
  std::vector<float> out;
  for (size_t pos = 0; pos < x.size(); pos += chunk)
    r.process(x.data() + pos, std::min(chunk, x.size() - pos), out);
  r.flush(out);
  return out;
}

TEST(SincResampler, StreamingEqualsOneShotAndLengthIsCeil) {
  for (auto [in_rate, out_rate] : {std::pair{44100, 16000}, {10000, 16000}, {8000, 16000}, {96000, 16000},
                                   {16000, 16000}, {22050, 16000}, {12345, 16000}}) {
    SCOPED_TRACE(std::to_string(in_rate) + " -> " + std::to_string(out_rate));
    std::vector<float> x = test::sine(440, 0.7, in_rate);
    std::vector<float> whole = resample_in_chunks(x, in_rate, out_rate, x.size());
    std::vector<float> chunked = resample_in_chunks(x, in_rate, out_rate, 777);
    const size_t expect = static_cast<size_t>(std::ceil(double(out_rate) * double(x.size()) / in_rate - 1e-9));
    EXPECT_EQ(whole.size(), expect);
    ASSERT_EQ(chunked, whole);
    // A 440 Hz tone keeps its amplitude (well inside the pass band), away from the edges.
    double peak = 0;
    for (size_t i = whole.size() / 4; i < 3 * whole.size() / 4; ++i) peak = std::max(peak, double(std::fabs(whole[i])));
    EXPECT_NEAR(peak, 0.5, 0.01);
  }
}

}  // namespace
}  // namespace pelagos
