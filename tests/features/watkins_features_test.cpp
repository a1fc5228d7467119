// End to end on real recordings: the whole Watkins fixture (425 clips, WAV and
// FLAC at 5-166 kHz) through load_dataset and load_features with the VGGish
// frontend, checked against the durations in metadata.csv; then the cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "data/csv_reader.h"
#include "pelagos/dataset.h"
#include "pelagos/feature_pipeline.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

struct Expected {
  double duration_s = 0;
  std::string species;
};

// metadata.csv: split,file_name,source,species_name,sample_rate,duration_s,sha256
std::map<std::string, Expected> read_metadata(const std::string& root) {
  const Table t = read_csv(root + "/metadata.csv");
  std::map<std::string, Expected> out;
  for (size_t r = 1; r < t.rows.size(); ++r) {
    const auto& c = t.rows[r].cells;
    out[c.at(0) + "/" + c.at(1)] = {std::stod(c.at(5)), c.at(3)};
  }
  return out;
}

// VGGish patches of a clip resampled to 16 kHz: frames = 1 + (T - 400) / 160, patches = frames / 96.
int64_t vggish_patches(int64_t samples_16k) {
  const int64_t frames = samples_16k < 400 ? 0 : 1 + (samples_16k - 400) / 160;
  return frames / 96;
}

std::vector<Clip> all_clips(const Dataset& ds) {
  std::vector<Clip> clips;
  for (const auto& split : ds.splits) clips.insert(clips.end(), split.clips.begin(), split.clips.end());
  return clips;
}

TEST(WatkinsFeatures, WholeDatasetThroughTheCache) {
  PELAGOS_REQUIRE_SHARED();
  const std::string root = test::shared_dir() + "/data/watkins";
  DatasetOptions dopt;
  dopt.root = root;
  const Dataset ds = load_dataset(dopt);
  const std::vector<std::string> species = {
      "Atlantic Spotted Dolphin", "Beluga White Whale", "Bowhead Whale",    "Common Dolphin", "False Killer Whale",
      "Long-Finned Pilot Whale",  "Melon Headed Whale", "Northern Right Whale", "Ross Seal",  "Sperm Whale"};
  EXPECT_EQ(ds.labels.names, species);
  const std::vector<Clip> clips = all_clips(ds);
  ASSERT_EQ(clips.size(), 425u);
  const auto metadata = read_metadata(root);

  test::TempDir dir;
  FeatureOptions opt;
  opt.cache_dir = dir.file("cache");
  opt.quiet = true;
  const ClipFeatures cold = load_features(clips, FrontendParams{}, opt);
  EXPECT_EQ(cold.stats.computed, 425);
  EXPECT_EQ(cold.stats.failed, 0);
  ASSERT_EQ(cold.offsets.size(), 426u);
  for (size_t i = 0; i < clips.size(); ++i) {
    const Clip& c = clips[i];
    SCOPED_TRACE(c.split + "/" + c.file_name);
    const auto m = metadata.find(c.split + "/" + c.file_name);
    ASSERT_NE(m, metadata.end());
    EXPECT_EQ(m->second.species, c.species);
    // The resampler's output length is the duration x 16 kHz, give or take a sample at the ends.
    const int64_t samples = std::llround(m->second.duration_s * 16000);
    const int64_t lo = std::max<int64_t>(1, vggish_patches(samples - 2));
    const int64_t hi = std::max<int64_t>(1, vggish_patches(samples + 2));
    EXPECT_GE(cold.clip_patch_count(i), lo);
    EXPECT_LE(cold.clip_patch_count(i), hi);
    for (int64_t p = cold.offsets[i]; p < cold.offsets[i + 1]; ++p)
      ASSERT_EQ(cold.patch_label[size_t(p)], c.label);
  }
  for (float v : cold.data) ASSERT_TRUE(std::isfinite(v));

  const ClipFeatures warm = load_features(clips, FrontendParams{}, opt);
  EXPECT_EQ(warm.stats.cache_hits, 425);
  EXPECT_EQ(warm.stats.computed, 0);
  EXPECT_EQ(warm.offsets, cold.offsets);
  EXPECT_EQ(warm.data, cold.data);

  // Damage the entry of one clip: that clip alone is recomputed, to the same patches.
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(opt.cache_dir))
    if (e.path().extension() == ".bin") entries.push_back(e.path());
  ASSERT_EQ(entries.size(), 425u);
  std::string bytes = read_file(entries[7].string());
  bytes[bytes.size() / 2] ^= 0x40;
  write_file_atomic(entries[7].string(), bytes);
  const ClipFeatures repaired = load_features(clips, FrontendParams{}, opt);
  EXPECT_EQ(repaired.stats.corrupt_entries, 1);
  EXPECT_EQ(repaired.stats.computed, 1);
  EXPECT_EQ(repaired.stats.cache_hits, 424);
  EXPECT_EQ(repaired.data, cold.data);
}

}  // namespace
}  // namespace pelagos
