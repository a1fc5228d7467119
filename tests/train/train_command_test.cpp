// End to end on the synthetic demo data: train -> evaluate -> predict through
// the CLI, with every output parsed back.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "data/demo_data.h"
#include "model/bundle.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

std::vector<std::string> split_line(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, sep)) out.push_back(field);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

TEST(TrainCommand, DemoDataTrainEvaluatePredict) {
  test::TempDir dir;
  DemoDataOptions demo;
  demo.out_dir = dir.file("demo");
  demo.seed = 3;
  const DemoDataSummary summary = write_demo_data(demo);
  const size_t classes = summary.species.size();
  write_file_atomic(dir.file("params.json"),
                    R"({"neurons": 64, "epochs": 30, "lr": 0.003, "optimizer": "Adam", "batch_size": 16, "dropout": 0.1})");
  const std::string model = dir.file("m.pelagos");
  const std::string cache = dir.file("cache");

  testing::internal::CaptureStdout();
  ASSERT_EQ(cli::run_cli({"-q", "--threads", "1", "train", "--data", demo.out_dir, "--params", dir.file("params.json"),
                          "--init", "random", "--seed", "1", "--trainable-layers", "0", "--out", model,
                          "--cache-dir", cache}),
            0);
  const std::string train_out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(train_out.rfind("validate accuracy: ", 0), 0u) << train_out;

  const BundleInfo info = read_bundle_info(model);
  EXPECT_EQ(info.labels, summary.species);
  EXPECT_EQ(info.params.trainable_layers, 0);
  EXPECT_EQ(info.metrics["epochs"].size(), 30u);
  EXPECT_FALSE(info.base_weights["pretrained"].get<bool>());

  // evaluate: table on stdout, JSON and CSV files.
  testing::internal::CaptureStdout();
  ASSERT_EQ(cli::run_cli({"-q", "evaluate", "--model", model, "--data", demo.out_dir, "--split", "test", "--json",
                          dir.file("e.json"), "--csv", dir.file("e.csv"), "--cache-dir", cache}),
            0);
  const std::vector<std::string> table = lines_of(testing::internal::GetCapturedStdout());
  ASSERT_FALSE(table.empty());
  ASSERT_EQ(table[0].rfind("accuracy: ", 0), 0u);
  const double accuracy = std::stod(table[0].substr(10));
  EXPECT_GE(accuracy, 0.5) << "chance is 1/" << classes;

  const auto j = nlohmann::json::parse(read_file(dir.file("e.json")));
  for (const char* key : {"accuracy", "balanced_accuracy", "macro_f1", "per_class", "confusion_matrix", "labels",
                          "predictions", "clips"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_NEAR(j["accuracy"].get<double>(), accuracy, 5e-5);
  EXPECT_EQ(j["confusion_matrix"].size(), classes);
  EXPECT_EQ(j["clips"].get<int>(), summary.clips[2]);
  for (const auto& sp : summary.species) EXPECT_TRUE(j["per_class"][sp].contains("f1"));

  const std::vector<std::string> csv = lines_of(read_file(dir.file("e.csv")));
  ASSERT_EQ(csv.size(), classes + 1);
  EXPECT_EQ(csv[0], "species,precision,recall,f1,support");

  // predict: CSV with one probability column per class.
  ASSERT_EQ(cli::run_cli({"-q", "predict", "--model", model, demo.out_dir + "/test", "--out", dir.file("p.csv")}), 0);
  const std::vector<std::string> rows = lines_of(read_file(dir.file("p.csv")));
  ASSERT_GT(rows.size(), 1u);
  std::vector<std::string> header = split_line(rows[0], ',');
  ASSERT_EQ(header.size(), 5 + classes);
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 5),
            (std::vector<std::string>{"file", "start_s", "end_s", "species", "probability"}));
  for (size_t r = 1; r < rows.size(); ++r) {
    auto f = split_line(rows[r], ',');
    ASSERT_EQ(f.size(), header.size()) << rows[r];
    EXPECT_LT(std::stod(f[1]), std::stod(f[2]));
    const auto col = std::find(header.begin() + 5, header.end(), f[3]);
    ASSERT_NE(col, header.end()) << "species column for " << f[3];
    EXPECT_EQ(f[4], f[size_t(col - header.begin())]) << "probability is the predicted species' column";
    double sum = 0;
    for (size_t c = 5; c < f.size(); ++c) sum += std::stod(f[c]);
    EXPECT_NEAR(sum, 1.0, 1e-3);
  }

  // --precision bfloat16: the same windows; probabilities within bfloat16's rounding, and not all equal
  // (a run that silently stayed float32 would print the same digits).
  ASSERT_EQ(cli::run_cli({"-q", "predict", "--model", model, demo.out_dir + "/test", "--precision", "bf16", "--out",
                          dir.file("p16.csv")}),
            0);
  const std::vector<std::string> rows16 = lines_of(read_file(dir.file("p16.csv")));
  ASSERT_EQ(rows16.size(), rows.size());
  double max_difference = 0;
  bool any_difference = false;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto f = split_line(rows[r], ','), g = split_line(rows16[r], ',');
    ASSERT_EQ(g.size(), f.size());
    EXPECT_EQ(std::vector<std::string>(g.begin(), g.begin() + 3), std::vector<std::string>(f.begin(), f.begin() + 3));
    for (size_t c = 5; c < f.size(); ++c) {
      max_difference = std::max(max_difference, std::abs(std::stod(f[c]) - std::stod(g[c])));
      any_difference = any_difference || f[c] != g[c];
    }
  }
  EXPECT_LT(max_difference, 0.05);
  EXPECT_TRUE(any_difference) << "bfloat16 gave float32's digits: autocast did not run";

  // Raven selection table, filtered by --min-score.
  ASSERT_EQ(cli::run_cli({"-q", "predict", "--model", model, demo.out_dir + "/test", "--format", "raven",
                          "--min-score", "0.5", "--out", dir.file("p.txt")}),
            0);
  const std::vector<std::string> raven = lines_of(read_file(dir.file("p.txt")));
  ASSERT_FALSE(raven.empty());
  EXPECT_EQ(split_line(raven[0], '\t'),
            (std::vector<std::string>{"Selection", "View", "Channel", "Begin Time (s)", "End Time (s)",
                                      "Low Freq (Hz)", "High Freq (Hz)", "Begin File", "Species", "Score"}));
  EXPECT_LT(raven.size(), rows.size() + 1);
  for (size_t r = 1; r < raven.size(); ++r) {
    auto f = split_line(raven[r], '\t');
    ASSERT_EQ(f.size(), 10u);
    EXPECT_EQ(f[0], std::to_string(r));
    EXPECT_GE(std::stod(f[9]), 0.5);
  }
}

TEST(TrainCommand, UserErrorsNameTheProblem) {
  test::TempDir dir;
  write_file_atomic(dir.file("params.json"), R"({"neurons": 64, "optimiser": "Adam"})");
  testing::internal::CaptureStderr();
  EXPECT_EQ(cli::run_cli({"train", "--data", dir.path().string(), "--params", dir.file("params.json"), "--init",
                          "random", "--out", dir.file("m.pelagos")}),
            1);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("unknown key 'optimiser'"), std::string::npos) << err;

  testing::internal::CaptureStderr();
  EXPECT_EQ(cli::run_cli({"train", "--data", dir.path().string(), "--trainable-layers", "20", "--init", "random",
                          "--out", dir.file("m.pelagos")}),
            1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("expected 0 to 16 or 'all'"), std::string::npos);

  testing::internal::CaptureStderr();
  EXPECT_NE(cli::run_cli({"train", "--data", dir.path().string(), "--precision", "half", "--init", "random", "--out",
                          dir.file("m.pelagos")}),
            0);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("--precision"), std::string::npos);
}

TEST(TrainCommand, DenoiseAndAugmentationAreSavedAndOnlyDenoiseIsReapplied) {
  test::TempDir dir;
  DemoDataOptions demo;
  demo.out_dir = dir.file("demo");
  demo.train_per_species = 3;
  demo.validate_per_species = 1;
  demo.test_per_species = 1;
  write_demo_data(demo);
  write_file_atomic(dir.file("params.json"), R"({"neurons": 32, "epochs": 3, "lr": 0.003, "optimizer": "Adam"})");
  write_file_atomic(dir.file("aug.json"), R"({"mixup_p": 0.5, "variants": 1, "shift_p": 1.0, "augment_seed": 4})");
  const std::string model = dir.file("m.pelagos"), cache = dir.file("cache");
  testing::internal::CaptureStdout();
  ASSERT_EQ(cli::run_cli({"-q", "--threads", "1", "train", "--data", demo.out_dir, "--params", dir.file("params.json"),
                          "--init", "random", "--trainable-layers", "0", "--out", model, "--cache-dir", cache,
                          "--denoise", "spectral-gate", "--denoise-n-std", "2", "--augment", dir.file("aug.json"),
                          "--specaugment-p", "0.25"}),
            0);
  testing::internal::GetCapturedStdout();
  const BundleInfo info = read_bundle_info(model);
  EXPECT_EQ(info.frontend.denoise, DenoiseKind::SpectralGate);
  EXPECT_EQ(info.frontend.denoise_n_std, 2.0);
  EXPECT_EQ(info.augment.mixup_p, 0.5);
  EXPECT_EQ(info.augment.specaugment_p, 0.25);
  EXPECT_EQ(info.augment.variants, 1);
  EXPECT_EQ(info.augment.seed, 4u);
  // evaluate recomputes features with the bundle's frontend (denoise included).
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::run_cli({"-q", "evaluate", "--model", model, "--data", demo.out_dir, "--split", "test",
                          "--cache-dir", cache}),
            0);
  EXPECT_EQ(testing::internal::GetCapturedStdout().rfind("accuracy: ", 0), 0u);
  // Bad input: a raw-audio probability without variants, a noise file without denoise.
  write_file_atomic(dir.file("bad.json"), R"({"noise_p": 0.5})");
  EXPECT_EQ(cli::run_cli({"-q", "train", "--data", demo.out_dir, "--init", "random", "--out", dir.file("x.pelagos"),
                          "--augment", dir.file("bad.json")}),
            1);
  EXPECT_EQ(cli::run_cli({"-q", "train", "--data", demo.out_dir, "--init", "random", "--out", dir.file("x.pelagos"),
                          "--noise-file", dir.file("params.json")}),
            1);
}

}  // namespace
}  // namespace pelagos
