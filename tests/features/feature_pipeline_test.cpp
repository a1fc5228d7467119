// load_features on generated files: the same patches as decoding + compute_patches
// clip by clip, whatever the worker count, with or without the cache.
#include "pelagos/feature_pipeline.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>

#include "cache/feature_cache.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

// Three clips: 16 kHz mono (3 patches), 44.1 kHz stereo FLAC (2), 8 kHz too short for a patch.
std::vector<Clip> make_clips(const test::TempDir& dir) {
  std::vector<Clip> clips(3);
  clips[0].path = dir.file("a.wav");
  test::write_audio(clips[0].path, test::sine(1000, 3.0, 16000), 16000);
  clips[1].path = dir.file("b.flac");
  std::vector<float> stereo;
  for (float s : test::sine(440, 2.1, 44100)) {
    stereo.push_back(s);
    stereo.push_back(-0.5f * s);
  }
  test::write_audio(clips[1].path, stereo, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  clips[2].path = dir.file("c.wav");
  test::write_audio(clips[2].path, test::sine(300, 0.5, 8000), 8000);
  for (size_t i = 0; i < clips.size(); ++i) {
    clips[i].file_name = std::filesystem::path(clips[i].path).filename().string();
    clips[i].label = int(i) + 4;
  }
  return clips;
}

FeatureOptions quiet_options(const std::string& cache_dir = {}, int threads = 2) {
  FeatureOptions o;
  o.cache_dir = cache_dir;
  o.threads = threads;
  o.quiet = true;
  return o;
}

void expect_same_features(const ClipFeatures& a, const ClipFeatures& b) {
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.patch_clip, b.patch_clip);
  EXPECT_EQ(a.patch_label, b.patch_label);
  EXPECT_EQ(a.patch_start_s, b.patch_start_s);
  EXPECT_EQ(a.data, b.data);
}

TEST(FeaturePipeline, MatchesDecodingAndComputePatchesClipByClip) {
  test::TempDir dir;
  const auto clips = make_clips(dir);
  const FrontendParams params;
  const ClipFeatures f = load_features(clips, params, quiet_options());
  ASSERT_EQ(f.offsets, (std::vector<int64_t>{0, 3, 5, 6}));
  EXPECT_EQ(f.frames, 96);
  EXPECT_EQ(f.bands, 64);
  EXPECT_EQ(f.data.size(), size_t(6 * 96 * 64));
  EXPECT_EQ(f.patch_clip, (std::vector<int32_t>{0, 0, 0, 1, 1, 2}));
  EXPECT_EQ(f.patch_label, (std::vector<int32_t>{4, 4, 4, 5, 5, 6}));
  EXPECT_EQ(f.stats.computed, 3);
  EXPECT_EQ(f.stats.cache_hits, 0);
  EXPECT_NEAR(f.stats.decoded_audio_s, 3.0 + 2.1 + 0.5, 0.01);
  for (size_t c = 0; c < clips.size(); ++c) {
    SCOPED_TRACE(clips[c].path);
    const Audio audio = read_audio(clips[c].path, params.audio_options());
    const Patches expected = compute_patches(audio.samples, params);
    ASSERT_EQ(f.clip_patch_count(c), expected.count);
    const float* got = f.patch(f.offsets[c]);
    EXPECT_EQ(std::vector<float>(got, got + expected.data.size()), expected.data);
    for (int64_t p = 0; p < expected.count; ++p)
      EXPECT_EQ(f.patch_start_s[size_t(f.offsets[c] + p)], expected.start_s[size_t(p)]);
  }
}

TEST(FeaturePipeline, WorkerCountDoesNotChangeTheResultOrTorchThreads) {
  test::TempDir dir;
  const auto clips = make_clips(dir);
  at::set_num_threads(2);
  const ClipFeatures one = load_features(clips, FrontendParams{}, quiet_options({}, 1));
  const ClipFeatures three = load_features(clips, FrontendParams{}, quiet_options({}, 3));
  expect_same_features(one, three);
  EXPECT_EQ(at::get_num_threads(), 2);
}

TEST(FeaturePipeline, SecondRunComesFromTheCache) {
  test::TempDir dir;
  const auto clips = make_clips(dir);
  const std::string cache = dir.file("cache");
  const ClipFeatures cold = load_features(clips, FrontendParams{}, quiet_options(cache));
  EXPECT_EQ(cold.stats.computed, 3);
  const ClipFeatures warm = load_features(clips, FrontendParams{}, quiet_options(cache));
  EXPECT_EQ(warm.stats.cache_hits, 3);
  EXPECT_EQ(warm.stats.computed, 0);
  expect_same_features(cold, warm);
  expect_same_features(cold, load_features(clips, FrontendParams{}, quiet_options()));
}

TEST(FeaturePipeline, ChangedParamsOrFileContentMissTheCache) {
  test::TempDir dir;
  auto clips = make_clips(dir);
  const std::string cache = dir.file("cache");
  load_features(clips, FrontendParams{}, quiet_options(cache));
  FrontendParams overlap;
  overlap.patch_hop_frames = 48;
  const ClipFeatures o = load_features(clips, overlap, quiet_options(cache));
  EXPECT_EQ(o.stats.computed, 3);
  EXPECT_EQ(o.clip_patch_count(0), 5);  // 300 frames, hop 48: starts 0..192
  // Same path, new content: must not be served the old patches.
  test::write_audio(clips[0].path, test::sine(2000, 1.5, 16000), 16000);
  const ClipFeatures edited = load_features(clips, FrontendParams{}, quiet_options(cache));
  EXPECT_EQ(edited.stats.computed, 1);
  EXPECT_EQ(edited.stats.cache_hits, 2);
  EXPECT_EQ(edited.clip_patch_count(0), 1);
}

TEST(FeaturePipeline, CorruptCacheEntryIsRecomputed) {
  test::TempDir dir;
  const auto clips = make_clips(dir);
  const std::string cache = dir.file("cache");
  const ClipFeatures cold = load_features(clips, FrontendParams{}, quiet_options(cache));
  // Damage every entry a different way: truncation and a flipped byte.
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache))
    if (e.path().extension() == ".bin") entries.push_back(e.path().string());
  ASSERT_EQ(entries.size(), 3u);
  std::string bytes = read_file(entries[0]);
  write_file_atomic(entries[0], bytes.substr(0, bytes.size() - 100));
  bytes = read_file(entries[1]);
  bytes[bytes.size() / 3] ^= 0x01;
  write_file_atomic(entries[1], bytes);
  const ClipFeatures again = load_features(clips, FrontendParams{}, quiet_options(cache));
  EXPECT_EQ(again.stats.corrupt_entries, 2);
  EXPECT_EQ(again.stats.computed, 2);
  EXPECT_EQ(again.stats.cache_hits, 1);
  expect_same_features(cold, again);
  EXPECT_EQ(load_features(clips, FrontendParams{}, quiet_options(cache)).stats.cache_hits, 3);  // repaired
}

TEST(FeaturePipeline, ReportsEveryUnreadableFile) {
  test::TempDir dir;
  auto clips = make_clips(dir);
  Clip text, missing;
  text.path = dir.file("notes.wav");
  write_file_atomic(text.path, "this is not audio");
  missing.path = dir.file("missing.wav");
  clips.insert(clips.begin() + 1, text);
  clips.push_back(missing);
  for (const std::string cache : {std::string(), dir.file("cache")}) {
    SCOPED_TRACE(cache.empty() ? "without cache" : "with cache");
    try {
      load_features(clips, FrontendParams{}, quiet_options(cache));
      FAIL() << "expected pelagos::Error";
    } catch (const Error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("2 of 5"), std::string::npos) << msg;
      EXPECT_NE(msg.find(text.path), std::string::npos) << msg;
      EXPECT_NE(msg.find(missing.path), std::string::npos) << msg;
    }
    FeatureOptions keep_going = quiet_options(cache);
    keep_going.throw_on_errors = false;
    const ClipFeatures f = load_features(clips, FrontendParams{}, keep_going);
    ASSERT_EQ(f.errors.size(), 2u);
    EXPECT_EQ(f.errors[0].clip, 1u);
    EXPECT_EQ(f.errors[1].clip, 4u);
    EXPECT_EQ(f.stats.failed, 2);
    EXPECT_EQ(f.offsets, (std::vector<int64_t>{0, 3, 3, 5, 6, 6}));  // failed clips own no patches
  }
}

TEST(FeaturePipeline, PlainFilesAreUnlabelled) {
  test::TempDir dir;
  const auto clips = make_clips(dir);
  const ClipFeatures f = load_features(std::vector<std::string>{clips[2].path, clips[0].path}, FrontendParams{},
                                       quiet_options());
  EXPECT_EQ(f.offsets, (std::vector<int64_t>{0, 1, 4}));
  EXPECT_EQ(f.patch_label, (std::vector<int32_t>{-1, -1, -1, -1}));
}

TEST(FeaturePipeline, WarnsAboutNonFiniteSamples) {
  test::TempDir dir;
  std::vector<float> x = test::sine(1000, 1.0, 16000);
  x[100] = std::nanf("");
  x[200] = INFINITY;
  const std::string path = dir.file("nan.wav");
  test::write_audio(path, x, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const ClipFeatures f = load_features(std::vector<std::string>{path}, FrontendParams{}, quiet_options());
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find(path), std::string::npos) << f.warnings[0];
  EXPECT_NE(f.warnings[0].find("2 NaN/Inf"), std::string::npos) << f.warnings[0];
  for (float v : f.data) ASSERT_TRUE(std::isfinite(v));
}

TEST(FeaturePipeline, NoClipsGivesNoPatches) {
  const ClipFeatures f = load_features(std::vector<Clip>{}, FrontendParams{}, quiet_options());
  EXPECT_EQ(f.patch_count(), 0);
  EXPECT_EQ(f.offsets, (std::vector<int64_t>{0}));
}

}  // namespace
}  // namespace pelagos
