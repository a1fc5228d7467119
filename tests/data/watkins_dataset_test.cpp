// load_dataset on the shared Watkins fixture: both xlsx flavours (shared and
// inline strings), 10 species, the README's file counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "pelagos/dataset.h"
#include "support/test_support.h"

namespace pelagos {

TEST(WatkinsDataset, LoadsAllSplitsWithSortedLabels) {
  PELAGOS_REQUIRE_SHARED();
  DatasetOptions opt;
  opt.root = test::shared_dir() + "/data/watkins";
  Dataset ds = load_dataset(opt);
  ASSERT_EQ(ds.labels.names.size(), 10u);
  EXPECT_TRUE(std::is_sorted(ds.labels.names.begin(), ds.labels.names.end()));
  EXPECT_EQ(ds.labels.names.front(), "Atlantic Spotted Dolphin");
  EXPECT_EQ(ds.labels.names.back(), "Sperm Whale");
  EXPECT_TRUE(ds.warnings.empty()) << ds.warnings.front();
  ASSERT_NE(ds.split("train"), nullptr);
  EXPECT_EQ(ds.split("train")->clips.size(), 288u);
  EXPECT_EQ(ds.split("validate")->clips.size(), 76u);
  EXPECT_EQ(ds.split("test")->clips.size(), 61u);

  std::map<std::string, int> train_counts;
  for (const Clip& c : ds.split("train")->clips) {
    ++train_counts[c.species];
    EXPECT_EQ(ds.labels.names[static_cast<size_t>(c.label)], c.species);
  }
  EXPECT_EQ(train_counts["Common Dolphin"], 34);
  EXPECT_EQ(train_counts["Sperm Whale"], 23);
  const Clip& first = ds.split("test")->clips.front();
  EXPECT_EQ(first.file_name, "0_WW_2.wav");
  EXPECT_EQ(first.species, "Beluga White Whale");
  EXPECT_EQ(first.row, 2);
}

}  // namespace pelagos
