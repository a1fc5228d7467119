// load_dataset on small generated datasets: the happy paths (xlsx, CSV, column
// choice) and every validation rule, each reported with file, row and column.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/xlsx_writer.h"
#include "pelagos/dataset.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {
namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* s : {"train", "validate", "test"}) fs::create_directories(dir_.path() / s);
    opt_.root = dir_.path().string();
  }
  void audio(const std::string& split, const std::string& name, double hz = 440) {
    test::write_audio((dir_.path() / split / name).string(), test::sine(hz, 0.1, 8000), 8000);
  }
  void xlsx(const std::string& split, const Rows& rows) {
    write_xlsx((dir_.path() / (split + "_metadata.xlsx")).string(), rows);
  }
  // A valid two-species dataset to break in one place.
  void good() {
    for (const char* f : {"a.wav", "b.wav", "c.wav"}) audio("train", f);
    audio("validate", "d.wav", 500);
    audio("test", "e.wav", 600);
    xlsx("train", {{"file_name", "source", "species_name"},
                   {"a.wav", "s", "Beta"},
                   {"b.wav", "s", "Alpha"},
                   {"c.wav", "", "Beta"}});
    xlsx("validate", {{"file_name", "source", "species_name"}, {"d.wav", "", "Alpha"}});
    xlsx("test", {{"file_name", "source", "species_name"}, {"e.wav", "", "Beta"}});
  }
  std::string error() {
    try {
      load_dataset(opt_);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  std::string meta(const std::string& split) const { return (dir_.path() / (split + "_metadata.xlsx")).string(); }

  test::TempDir dir_;
  DatasetOptions opt_;
};

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(DatasetTest, LoadsXlsxWithSortedLabels) {
  good();
  Dataset ds = load_dataset(opt_);
  EXPECT_EQ(ds.labels.names, (std::vector<std::string>{"Alpha", "Beta"}));
  EXPECT_TRUE(ds.warnings.empty());
  ASSERT_EQ(ds.splits.size(), 3u);
  const SplitData* train = ds.split("train");
  ASSERT_EQ(train->clips.size(), 3u);
  EXPECT_EQ(train->metadata_path, meta("train"));
  EXPECT_EQ(train->clips[0].file_name, "a.wav");
  EXPECT_EQ(train->clips[0].label, 1);
  EXPECT_EQ(train->clips[1].label, 0);
  EXPECT_EQ(train->clips[2].row, 4);
  EXPECT_EQ(train->clips[0].path, (dir_.path() / "train" / "a.wav").string());
  EXPECT_EQ(ds.split("test")->clips[0].species, "Beta");
  EXPECT_EQ(ds.split("nope"), nullptr);
  EXPECT_EQ(ds.labels.index_of("Gamma"), -1);
}

TEST_F(DatasetTest, CsvColumnsFoundByHeaderNameInAnyOrder) {
  good();
  opt_.metadata_pattern = "{split}.csv";
  write_file_atomic(opt_.root + "/train.csv",
                    "split,file_name,source,species_name\ntrain,a.wav,,Beta\ntrain,\"b.wav\",\"x,y\",Alpha\r\n");
  write_file_atomic(opt_.root + "/validate.csv", "split,file_name,source,species_name\nvalidate,d.wav,,Alpha\n");
  write_file_atomic(opt_.root + "/test.csv", "split,file_name,source,species_name\ntest,e.wav,,Beta\n");
  Dataset ds = load_dataset(opt_);
  EXPECT_EQ(ds.split("train")->clips.size(), 2u);
  EXPECT_EQ(ds.split("train")->clips[1].species, "Alpha");
  EXPECT_EQ(ds.split("train")->clips[1].row, 3);
}

TEST_F(DatasetTest, ColumnFlagsByNameOrIndex) {
  good();
  for (const char* s : {"train", "validate", "test"}) {
    Rows rows = {{"label", "wav"}};
    if (std::string(s) == "train") rows.insert(rows.end(), {{"Beta", "a.wav"}, {"Alpha", "b.wav"}});
    if (std::string(s) == "validate") rows.push_back({"Alpha", "d.wav"});
    if (std::string(s) == "test") rows.push_back({"Beta", "e.wav"});
    xlsx(s, rows);
  }
  opt_.file_column = "WAV";  // names match case-insensitively when no exact match exists
  opt_.species_column = "0";
  Dataset ds = load_dataset(opt_);
  EXPECT_EQ(ds.labels.names, (std::vector<std::string>{"Alpha", "Beta"}));

  opt_.file_column = "filename";
  std::string err = error();
  EXPECT_HAS(err, "--file-column \"filename\": no such column");
  EXPECT_HAS(err, "\"label\", \"wav\"");
  opt_.file_column = "7";
  EXPECT_HAS(error(), "--file-column 7 is 0-based but the table has only 2 columns");
  opt_.file_column = "0";
  EXPECT_HAS(error(), "both column A");
}

TEST_F(DatasetTest, UnnamedHeaderFallsBackToPositionsWithAWarning) {
  good();
  xlsx("train", {{"name", "", "kind"}, {"a.wav", "", "Beta"}, {"b.wav", "", "Alpha"}});
  Dataset ds = load_dataset(opt_);
  ASSERT_EQ(ds.warnings.size(), 2u);
  EXPECT_HAS(ds.warnings[0], "no column is headed \"file_name\"; using column A (\"name\") by position");
}

TEST_F(DatasetTest, HeaderProblems) {
  good();
  xlsx("train", {{"a.wav", "", "Beta"}, {"b.wav", "", "Alpha"}});
  EXPECT_HAS(error(), "row 1 should be the header row");
  xlsx("train", {{"species_name", "", "file_name"}, {"Beta", "", "a.wav"}});
  opt_.file_column = "2";
  std::string err = error();  // train is fine (species by name, files by index); the others are not
  EXPECT_EQ(err.find(meta("train")), std::string::npos) << err;
  EXPECT_HAS(err, meta("validate") + ": --file-column 2 picks column C (\"species_name\")");
  opt_.file_column = "0";
  EXPECT_HAS(error(), "--file-column 0 picks column A (\"species_name\"), which holds the species_name column");
  opt_.file_column.clear();
  xlsx("train", {{"species_name", "x"}, {"Beta", "a.wav"}});
  EXPECT_HAS(error(), "column A is headed \"species_name\" where the file_name column belongs");
  xlsx("train", {{"file_name", "source", "species_name"}});
  EXPECT_HAS(error(), "no rows below the header");
}

TEST_F(DatasetTest, CollectsEveryRowProblemWithRowAndColumn) {
  good();
  fs::create_directories(dir_.path() / "outside");
  audio("outside", "x.wav");
  fs::create_symlink(dir_.path() / "outside" / "x.wav", dir_.path() / "train" / "link.wav");
  xlsx("train", {{"file_name", "source", "species_name"},
                 {"a.wav", "", "Beta"},
                 {"", "", "Beta"},
                 {"b.wav", "note"},
                 {"missing.wav", "", "Beta"},
                 {"../validate/d.wav", "", "Beta"},
                 {(dir_.path() / "train" / "c.wav").string(), "", "Beta"},
                 {"a.wav", "", "Alpha"},
                 {"link.wav", "", "Alpha"},
                 {"c.wav", "", "#N/A"}});
  std::string err = error();
  const std::string m = meta("train");
  EXPECT_HAS(err, "8 problems");
  EXPECT_HAS(err, m + ": row 3, column A (\"file_name\"): the file name is empty");
  EXPECT_HAS(err, m + ": row 4, column C (\"species_name\"): the species name is empty");
  EXPECT_HAS(err, m + ": row 5, column A (\"file_name\"): \"missing.wav\" was not found at");
  EXPECT_HAS(err, "row 6, column A (\"file_name\"): \"../validate/d.wav\" contains \"..\"");
  EXPECT_HAS(err, "row 7, column A (\"file_name\"): \"" + (dir_.path() / "train" / "c.wav").string() +
                      "\" is an absolute path");
  EXPECT_HAS(err, m + ": row 8: \"a.wav\" is the same file as " + m + ": row 2");
  EXPECT_HAS(err, "row 9, column A (\"file_name\"): \"link.wav\"");
  EXPECT_HAS(err, "outside the split folder");
  EXPECT_HAS(err, "row 10, column C (\"species_name\"): the species name holds the spreadsheet error #N/A");
}

TEST_F(DatasetTest, LongProblemListsAreCut) {
  good();
  Rows rows = {{"file_name", "source", "species_name"}};
  for (int i = 0; i < 40; ++i) rows.push_back({"gone" + std::to_string(i) + ".wav", "", "Beta"});
  xlsx("train", rows);
  std::string err = error();
  EXPECT_HAS(err, "40 problems");
  EXPECT_HAS(err, "... and 15 more");
}

TEST_F(DatasetTest, MissingMetadataAndSplitFolder) {
  good();
  fs::remove(meta("validate"));
  fs::remove_all(dir_.path() / "test");
  std::string err = error();
  EXPECT_HAS(err, meta("validate") + ": metadata file not found");
  EXPECT_HAS(err, (dir_.path() / "test").string() + ": split folder not found");
  opt_.root = (dir_.path() / "nowhere").string();
  EXPECT_HAS(error(), "dataset folder not found");
}

TEST_F(DatasetTest, SameRecordingInTwoSplits) {
  good();
  audio("test", "a.wav");  // byte-identical to train/a.wav
  xlsx("test", {{"file_name", "source", "species_name"}, {"e.wav", "", "Beta"}, {"a.wav", "", "Beta"}});
  EXPECT_HAS(error(), "\"a.wav\" is the same recording in train and test (identical bytes)");
  audio("test", "a.wav", 700);  // same name, different recording: only a warning
  Dataset ds = load_dataset(opt_);
  ASSERT_EQ(ds.warnings.size(), 1u);
  EXPECT_HAS(ds.warnings[0], "the name \"a.wav\" appears in train and test");
}

TEST_F(DatasetTest, SpeciesMissingFromTrain) {
  good();
  xlsx("validate", {{"file_name", "source", "species_name"}, {"d.wav", "", "alpha "}});
  audio("test", "f.wav");
  xlsx("test", {{"file_name", "source", "species_name"}, {"e.wav", "", "Beta"}, {"f.wav", "", "Gamma"}});
  std::string err = error();
  EXPECT_HAS(err, meta("validate") + ": row 2: species \"alpha\" does not occur in train (did you mean \"Alpha\"?)");
  EXPECT_HAS(err, meta("test") + ": row 3: species \"Gamma\" does not occur in train");
  EXPECT_HAS(err, "--drop-unknown-species");

  opt_.drop_unknown_species = true;
  Dataset ds = load_dataset(opt_);
  EXPECT_EQ(ds.warnings.size(), 2u);
  EXPECT_TRUE(ds.split("validate")->clips.empty());
  ASSERT_EQ(ds.split("test")->clips.size(), 1u);
  EXPECT_EQ(ds.split("test")->clips[0].file_name, "e.wav");
}

TEST_F(DatasetTest, InvalidUtf8NamesTheRowAndColumn) {
  good();
  opt_.metadata_pattern = "{split}.csv";
  write_file_atomic(opt_.root + "/train.csv", "file_name,x,species_name\na.wav,,Beta\nb.wav,,Al\xFFpha\n");
  write_file_atomic(opt_.root + "/validate.csv", "file_name,x,species_name\nd\xC3.wav,,Beta\n");
  write_file_atomic(opt_.root + "/test.csv", "file_name,x,species_name\ne.wav,,Beta\n");
  std::string err = error();
  EXPECT_HAS(err, "train.csv: line 3, column 3 (\"species_name\"): the species name is not valid UTF-8 (\"Al\\xFFpha\")");
  EXPECT_HAS(err, "validate.csv: line 2, column 1 (\"file_name\"): the file name is not valid UTF-8");
}

TEST_F(DatasetTest, OneSpeciesIsNotAClassifier) {
  good();
  xlsx("train", {{"file_name", "source", "species_name"}, {"a.wav", "", "Beta"}});
  xlsx("validate", {{"file_name", "source", "species_name"}, {"d.wav", "", "Beta"}});
  EXPECT_HAS(error(), "train has only one species");
}

TEST_F(DatasetTest, OtherMetadataFormatsAreRefused) {
  good();
  opt_.metadata_pattern = "{split}.ods";
  for (const char* s : {"train", "validate", "test"}) write_file_atomic(opt_.root + "/" + s + ".ods", "x");
  EXPECT_HAS(error(), "must be an .xlsx workbook or a .csv file");
}

}  // namespace
}  // namespace pelagos
