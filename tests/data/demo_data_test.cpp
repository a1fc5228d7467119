// The demo dataset: loads as a valid dataset, decodes at its native rates, is
// reproducible for a seed, and never overwrites a folder by accident.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "data/demo_data.h"
#include "pelagos/audio.h"
#include "pelagos/dataset.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {
namespace fs = std::filesystem;

DemoDataOptions small(const std::string& out, uint64_t seed = 7) {
  DemoDataOptions o;
  o.out_dir = out;
  o.seed = seed;
  o.train_per_species = 2;
  o.validate_per_species = 1;
  o.test_per_species = 1;
  return o;
}

TEST(DemoData, LoadsAsADatasetAndDecodesAtNativeRates) {
  test::TempDir dir;
  DemoDataSummary s = write_demo_data(small(dir.file("demo")));
  EXPECT_EQ(s.clips[0], 12);
  EXPECT_EQ(s.clips[1], 6);
  DatasetOptions opt;
  opt.root = dir.file("demo");
  Dataset ds = load_dataset(opt);
  EXPECT_TRUE(ds.warnings.empty());
  ASSERT_EQ(ds.labels.names.size(), 6u);
  EXPECT_EQ(ds.labels.names, s.species);
  EXPECT_EQ(ds.split("train")->clips.size(), 12u);
  EXPECT_EQ(ds.split("validate")->clips.size(), 6u);
  EXPECT_EQ(ds.split("test")->clips.size(), 6u);

  std::set<int> rates;
  std::set<std::string> formats;
  for (const auto& split : ds.splits) {
    for (const Clip& c : split.clips) {
      AudioInfo info = probe_audio(c.path);
      rates.insert(info.sample_rate);
      formats.insert(info.format);
      EXPECT_GE(info.sample_rate, 8000);
      EXPECT_LE(info.sample_rate, 96000);
      EXPECT_EQ(info.channels, 1);
      EXPECT_GE(info.duration_s(), 0.5 - 1e-3) << c.path;
      EXPECT_LE(info.duration_s(), 4.0 + 1e-3) << c.path;
      AudioReadOptions native;
      native.target_rate = 0;
      Audio a = read_audio(c.path, native);
      EXPECT_EQ(a.sample_rate, info.sample_rate);
      float peak = 0;
      for (float v : a.samples) peak = std::max(peak, std::fabs(v));
      EXPECT_GT(peak, 0.05f) << c.path;
      EXPECT_LT(peak, 0.85f) << c.path;
    }
  }
  EXPECT_GE(rates.size(), 4u);
  EXPECT_EQ(formats, (std::set<std::string>{"FLAC", "WAV"}));
}

// Every file's SHA-256, by path relative to the root.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    Sha256 h;
    h.update(read_file(e.path().string()));
    files[fs::relative(e.path(), root).string()] = h.hex_digest();
  }
  return files;
}

TEST(DemoData, DeterministicForASeed) {
  test::TempDir dir;
  write_demo_data(small(dir.file("a"), 11));
  write_demo_data(small(dir.file("b"), 11));
  write_demo_data(small(dir.file("c"), 12));
  auto a = snapshot(dir.file("a"));
  EXPECT_EQ(a.size(), 24u + 3u + 1u);  // clips, metadata, README
  EXPECT_EQ(a, snapshot(dir.file("b")));
  EXPECT_NE(a, snapshot(dir.file("c")));
  EXPECT_NE(a.at("train_metadata.xlsx"), snapshot(dir.file("c")).at("train_metadata.xlsx"));
}

TEST(DemoData, RefusesNonEmptyFolderUnlessForced) {
  test::TempDir dir;
  write_file_atomic(dir.file("keep.txt"), "mine");
  DemoDataOptions o = small(dir.path().string());
  try {
    write_demo_data(o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "train"));
  o.force = true;
  write_demo_data(o);
  EXPECT_TRUE(fs::exists(dir.path() / "train_metadata.xlsx"));
  EXPECT_EQ(read_file(dir.file("keep.txt")), "mine");

  // Again with fewer clips and another seed: no clip of the first run is left unlisted.
  write_file_atomic(dir.file("train/my_own.wav"), "not ours");
  o.train_per_species = 1;
  o.seed = 99;
  write_demo_data(o);
  size_t clips = 0;
  for (const auto& e : fs::directory_iterator(dir.path() / "train")) clips += e.path().filename() != "my_own.wav";
  EXPECT_EQ(clips, 6u);
  EXPECT_TRUE(fs::exists(dir.path() / "train" / "my_own.wav"));

  o.train_per_species = 0;
  EXPECT_THROW(write_demo_data(o), Error);
}

}  // namespace
}  // namespace pelagos
