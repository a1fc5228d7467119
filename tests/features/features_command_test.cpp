// `pelagos features` in-process: the .npy against the reference fixtures and
// compute_patches, the CSV index, folders, and errors that leave no output.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "cli/cli.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "pelagos/frontend.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/npy.h"

namespace pelagos {
namespace {

std::string fixture(const std::string& rel) { return test::shared_dir() + "/reference/frontend/" + rel; }

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  float m = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

int features(const test::TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"-q", "--cache-dir", dir.file("cache"), "features"});
  return cli::run_cli(args);
}

TEST(FeaturesCommand, VGGishMatchesReferenceWithIndex) {
  PELAGOS_REQUIRE_SHARED();
  test::TempDir dir;
  const std::vector<std::string> names = {"smoke", "short", "chirp"};
  std::vector<std::string> args;
  for (const auto& n : names) args.push_back(fixture("inputs/" + n + ".wav"));
  for (const char* a : {"--short", "drop", "--out"}) args.emplace_back(a);
  args.push_back(dir.file("f.npy"));
  args.push_back("--index");
  args.push_back(dir.file("f.csv"));
  ASSERT_EQ(features(dir, args), 0);

  std::vector<float> expected;
  for (const auto& n : names) {
    const auto ref = read_npy(fixture("vggish/" + n + ".npy")).to_float();
    expected.insert(expected.end(), ref.begin(), ref.end());
  }
  const NpyArray got = read_npy(dir.file("f.npy"));
  EXPECT_EQ(got.dtype, "<f4");
  EXPECT_EQ(got.shape, (std::vector<int64_t>{3 + 0 + 4, 96, 64}));
  EXPECT_LT(max_abs_diff(got.to_float(), expected), 1e-3f);  // the README's float32 tolerance

  const std::string index = read_file(dir.file("f.csv"));
  EXPECT_EQ(index.rfind("row,file,patch,start_s\n0," + fixture("inputs/smoke.wav") + ",0,0.000000\n", 0), 0u)
      << index;
  EXPECT_NE(index.find("\n2," + fixture("inputs/smoke.wav") + ",2,1.920000\n"), std::string::npos) << index;
  EXPECT_NE(index.find("\n6," + fixture("inputs/chirp.wav") + ",3,2.880000\n"), std::string::npos) << index;
  EXPECT_EQ(std::count(index.begin(), index.end(), '\n'), 1 + 7);
}

TEST(FeaturesCommand, SeedFrontendMatchesReference) {
  PELAGOS_REQUIRE_SHARED();
  test::TempDir dir;
  ASSERT_EQ(features(dir, {fixture("inputs/smoke.wav"), "--frontend", "seed", "-o", dir.file("s.npy")}), 0);
  const NpyArray got = read_npy(dir.file("s.npy"));
  EXPECT_EQ(got.shape, (std::vector<int64_t>{1, 96, 64}));
  EXPECT_LT(max_abs_diff(got.to_float(), read_npy(fixture("seed/smoke.npy")).to_float()), 1e-2f);
}

// Folder input (recursive, sorted), short-clip policy, overlap and the cache, against compute_patches.
TEST(FeaturesCommand, FolderInputMatchesComputePatches) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "in" / "sub");
  test::write_audio(dir.file("in/sub/b.wav"), test::sine(700, 2.5, 22050), 22050);
  test::write_audio(dir.file("in/a.wav"), test::sine(1200, 0.4, 16000), 16000);
  write_file_atomic(dir.file("in/readme.txt"), "not audio, not listed");
  for (const std::string policy : {"pad", "drop"}) {
    SCOPED_TRACE(policy);
    for (int run = 0; run < 2; ++run) {  // the second run reads the cache
      ASSERT_EQ(features(dir, {dir.file("in"), "--short", policy, "--patch-hop", "32", "-o", dir.file("o.npy")}), 0);
      FrontendParams p;
      p.patch_hop_frames = 32;
      p.short_clip = policy == "pad" ? ShortClipPolicy::PadToOnePatch : ShortClipPolicy::Drop;
      std::vector<float> expected;
      for (const char* f : {"in/a.wav", "in/sub/b.wav"}) {
        const Patches ps = compute_patches(read_audio(dir.file(f), p.audio_options()).samples, p);
        expected.insert(expected.end(), ps.data.begin(), ps.data.end());
      }
      const NpyArray got = read_npy(dir.file("o.npy"));
      ASSERT_EQ(got.shape.size(), 3u);
      EXPECT_EQ(got.shape[0], int64_t(expected.size() / (96 * 64)));
      EXPECT_EQ(got.to_float(), expected);
    }
  }
}

TEST(FeaturesCommand, UnreadableInputFailsWithoutWritingOutput) {
  test::TempDir dir;
  test::write_audio(dir.file("good.wav"), test::sine(500, 1.0, 16000), 16000);
  write_file_atomic(dir.file("bad.wav"), "RIFF but not really");
  EXPECT_EQ(features(dir, {dir.file("good.wav"), dir.file("bad.wav"), "-o", dir.file("x.npy")}), kExitUserError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
  EXPECT_EQ(features(dir, {dir.file("nope"), "-o", dir.file("x.npy")}), kExitUserError);
  EXPECT_EQ(features(dir, {dir.file("good.wav"), "--short", "maybe", "-o", dir.file("x.npy")}), kExitUserError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
}

}  // namespace
}  // namespace pelagos
