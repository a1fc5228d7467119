// Both frontends against the reference arrays in shared/reference/frontend,
// input by input (skipped when ../shared is absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "pelagos/audio.h"
#include "pelagos/frontend.h"
#include "support/test_support.h"
#include "util/npy.h"

namespace pelagos {
namespace {

std::string fixture(const std::string& rel) { return test::shared_dir() + "/reference/frontend/" + rel; }

struct Diff {
  double max_abs = 0;
  double max_abs_loud = 0;   // where ref > -12
  double max_abs_quiet = 0;  // where ref <= -12
  double rms = 0;
};

Diff compare(const std::vector<float>& got, const std::vector<float>& want) {
  Diff d;
  double sq = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double e = std::fabs(double(got[i]) - double(want[i]));
    d.max_abs = std::max(d.max_abs, e);
    double& worst = want[i] > -12 ? d.max_abs_loud : d.max_abs_quiet;
    worst = std::max(worst, e);
    sq += e * e;
  }
  d.rms = want.empty() ? 0 : std::sqrt(sq / double(want.size()));
  return d;
}

const char* const k16kInputs[] = {"smoke", "chirp", "noise", "short", "one_example",
                                  "stereo", "watkins1", "watkins2", "watkins3"};

TEST(FrontendParity, VGGishMatchesNumpyReference) {
  PELAGOS_REQUIRE_SHARED();
  FrontendParams params;
  params.short_clip = ShortClipPolicy::Drop;  // the reference's behaviour
  for (const char* name : k16kInputs) {
    SCOPED_TRACE(name);
    Audio audio = read_audio(fixture(std::string("inputs/") + name + ".wav"), params.audio_options());
    NpyArray want = read_npy(fixture(std::string("vggish/") + name + ".npy"));
    Patches got = compute_patches(audio.samples, params);
    ASSERT_EQ(want.shape.size(), 3u);
    ASSERT_EQ(got.count, want.shape[0]);
    ASSERT_EQ(got.frames, want.shape[1]);
    ASSERT_EQ(got.bands, want.shape[2]);
    Diff d = compare(got.data, want.to_float());
    EXPECT_LT(d.max_abs, 1e-3);
    RecordProperty(std::string("vggish_max_abs_") + name, std::to_string(d.max_abs));
  }
}

TEST(FrontendParity, SeedMatchesTorchaudioReference16k) {
  PELAGOS_REQUIRE_SHARED();
  FrontendParams params;
  params.kind = FrontendKind::Seed;
  for (const char* name : k16kInputs) {
    SCOPED_TRACE(name);
    Audio audio = read_audio(fixture(std::string("inputs/") + name + ".wav"), params.audio_options());
    NpyArray want = read_npy(fixture(std::string("seed/") + name + ".npy"));
    Patches got = compute_patches(audio.samples, params);
    ASSERT_EQ(got.count, 1);
    ASSERT_EQ(want.numel(), int64_t(got.data.size()));
    Diff d = compare(got.data, want.to_float());
    EXPECT_LT(d.max_abs, 1e-2);
  }
}

TEST(FrontendParity, SeedThroughOurResamplerMatchesReference) {
  PELAGOS_REQUIRE_SHARED();
  FrontendParams params;
  params.kind = FrontendKind::Seed;
  for (const char* name : {"chirp44k", "watkins_native"}) {
    SCOPED_TRACE(name);
    // The file goes through our decoder and resampler (params.audio_options(): torchaudio-style sinc).
    Audio audio = read_audio(fixture(std::string("inputs/") + name + ".wav"), params.audio_options());
    ASSERT_EQ(audio.sample_rate, 16000);
    NpyArray want = read_npy(fixture(std::string("seed/") + name + ".npy"));
    Patches got = compute_patches(audio.samples, params);
    ASSERT_EQ(got.count, 1);
    Diff d = compare(got.data, want.to_float());
    EXPECT_LT(d.max_abs_loud, 5e-2);
    EXPECT_LT(d.max_abs_quiet, 0.3);
    EXPECT_LT(d.rms, 1e-2);
  }
}

}  // namespace
}  // namespace pelagos
