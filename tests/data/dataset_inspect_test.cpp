// inspect_dataset: counts and every kind of finding on a generated dataset, and
// no false problems on the Watkins fixture.
#include <gtest/gtest.h>

#include <algorithm>

#include "data/dataset_inspect.h"
#include "data/xlsx_writer.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

const Finding* find(const InspectReport& r, const std::string& kind) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.kind == kind; });
  return it == r.findings.end() ? nullptr : &*it;
}

TEST(DatasetInspect, ReportsEveryKindOfProblem) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "train");
  std::vector<std::vector<std::string>> rows = {{"file_name", "source", "species_name"}};
  for (int i = 0; i < 7; ++i) {
    std::string name = "a" + std::to_string(i) + ".wav";
    test::write_audio(dir.file("train/" + name), test::sine(300 + 10 * i, 1.5, 16000), 16000);
    rows.push_back({name, "", "Alpha"});
  }
  test::write_audio(dir.file("train/short.flac"), test::sine(500, 0.5, 22050), 22050, 1,
                    0x170000 | 0x0002);  // SF_FORMAT_FLAC | SF_FORMAT_PCM_16
  test::write_audio(dir.file("train/quiet.wav"), std::vector<float>(16000, 0.0f), 16000);
  write_file_atomic(dir.file("train/broken.wav"), "RIFF not really a wave file");
  test::write_audio(dir.file("train/forgotten.wav"), test::sine(300, 0.2, 8000), 8000);
  // a0.wav again, as FLAC and under another species: the same recording twice.
  test::write_audio(dir.file("train/copy.flac"), test::sine(300, 1.5, 16000), 16000, 1, 0x170000 | 0x0002);
  rows.push_back({"copy.flac", "", "Beta"});
  rows.push_back({"short.flac", "", "Beta"});
  rows.push_back({"quiet.wav", "", "Beta"});
  rows.push_back({"broken.wav", "", "Beta"});
  write_xlsx(dir.file("train_metadata.xlsx"), rows);

  DatasetOptions opt;
  opt.root = dir.path().string();
  opt.splits = {"train"};
  InspectOptions io;
  io.threads = 2;
  io.imbalance_ratio = 2;
  InspectReport r = inspect_dataset(load_dataset(opt), io);
  EXPECT_FALSE(r.usable());
  EXPECT_EQ(r.stats["train"]["Alpha"].files, 7);
  EXPECT_NEAR(r.stats["train"]["Alpha"].seconds, 10.5, 1e-6);
  EXPECT_EQ(r.stats["train"]["Beta"].files, 3);  // the broken file is not counted
  EXPECT_EQ(r.sample_rates["train"][16000], 9);
  EXPECT_EQ(r.sample_rates["train"][22050], 1);
  EXPECT_EQ(r.formats["FLAC"], 2);
  EXPECT_EQ(r.formats["WAV"], 8);

  const Finding* f = find(r, "unreadable");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, "error");
  ASSERT_EQ(f->files.size(), 1u);
  EXPECT_NE(f->files[0].find("broken.wav"), std::string::npos);
  ASSERT_NE(f = find(r, "silent"), nullptr);
  ASSERT_EQ(f->files.size(), 1u);
  EXPECT_NE(f->files[0].find("quiet.wav"), std::string::npos);
  ASSERT_NE(f = find(r, "short"), nullptr);
  EXPECT_EQ(f->severity, "notice");
  EXPECT_NE(f->message.find("zero-pads"), std::string::npos);
  EXPECT_NE(f->files[0].find("short.flac (0.50 s)"), std::string::npos);
  ASSERT_NE(f = find(r, "unlisted"), nullptr);
  EXPECT_EQ(f->files, std::vector<std::string>{dir.file("train/forgotten.wav")});
  ASSERT_NE(f = find(r, "imbalance"), nullptr);
  EXPECT_NE(f->message.find("Alpha has 7 files, Beta only 3 (ratio 2.3 > 2)"), std::string::npos) << f->message;
  ASSERT_NE(f = find(r, "duplicate"), nullptr);
  ASSERT_EQ(f->files.size(), 1u);
  EXPECT_NE(f->files[0].find("a0.wav (train, Alpha) = " + dir.file("train/copy.flac") + " (train, Beta)"),
            std::string::npos) << f->files[0];

  std::string text = format_inspect_report(r);
  EXPECT_NE(text.find("NOT usable"), std::string::npos);
  EXPECT_NE(text.find("error: 1 file cannot be decoded"), std::string::npos) << text;
  nlohmann::json j = inspect_report_json(r);
  EXPECT_FALSE(j["usable"].get<bool>());
  EXPECT_EQ(j["files"].size(), 11u);
  EXPECT_EQ(j["counts"]["train"]["Alpha"]["files"], 7);
}

TEST(DatasetInspect, WatkinsHasNoFalseProblems) {
  PELAGOS_REQUIRE_SHARED();
  DatasetOptions opt;
  opt.root = test::shared_dir() + "/data/watkins";
  InspectReport r = inspect_dataset(load_dataset(opt));
  EXPECT_TRUE(r.usable());
  ASSERT_EQ(r.species.size(), 10u);
  // The only finding: clips shorter than one 0.975 s patch (the README counts 76 below 0.96 s;
  // 6_MHW_8.wav, 0.966 s, lies between).
  ASSERT_EQ(r.findings.size(), 1u) << r.findings[0].message;
  EXPECT_EQ(r.findings[0].kind, "short");
  EXPECT_EQ(r.findings[0].files.size(), 77u);
  EXPECT_NE(r.findings[0].message.find("77 clips are shorter than one 0.975 s patch (train 51, validate 14, test 12)"),
            std::string::npos) << r.findings[0].message;
  int files[3] = {0, 0, 0};
  double seconds = 0;
  const char* splits[] = {"train", "validate", "test"};
  for (int s = 0; s < 3; ++s)
    for (const auto& [sp, st] : r.stats[splits[s]]) {
      files[s] += st.files;
      seconds += st.seconds;
    }
  EXPECT_EQ(files[0], 288);
  EXPECT_EQ(files[1], 76);
  EXPECT_EQ(files[2], 61);
  EXPECT_NEAR(seconds, 680.9 + 162.4 + 133.9, 0.2);
  EXPECT_EQ(r.stats["train"]["Bowhead Whale"].files, 30);
  EXPECT_NEAR(r.stats["train"]["Bowhead Whale"].seconds, 142.8, 0.05);
  EXPECT_EQ(r.sample_rates["validate"][5120], 1);
  EXPECT_EQ(r.sample_rates["train"][166600], 19);
  EXPECT_EQ(r.channels[1], 425);
  EXPECT_EQ(r.formats["FLAC"], 288);
  EXPECT_EQ(r.encodings["PCM_16"], 425);
}

}  // namespace
}  // namespace pelagos
