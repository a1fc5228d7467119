// A small random-init training run on the real Watkins recordings: the model
// must beat chance (10 species -> 0.1) on the development test split clearly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

TEST(WatkinsTraining, RandomInitBeatsChanceOnTest) {
  PELAGOS_REQUIRE_SHARED();
  test::TempDir dir;
  const std::string data = test::shared_dir() + "/data/watkins";
  write_file_atomic(dir.file("params.json"),
                    R"({"neurons": 64, "epochs": 5, "lr": 0.001, "optimizer": "Adam", "batch_size": 32})");
  ASSERT_EQ(cli::run_cli({"-q", "train", "--data", data, "--params", dir.file("params.json"), "--frontend", "seed",
                          "--init", "random", "--seed", "0", "--trainable-layers", "0", "--out", dir.file("m.pelagos"),
                          "--cache-dir", dir.file("cache"), "--json", dir.file("t.json")}),
            0);
  // The metrics the benchmarks read (bench/compare_reference.py, bench/profile_trial.py).
  const auto metrics = nlohmann::json::parse(read_file(dir.file("t.json")))["metrics"];
  EXPECT_EQ(metrics["precision"], "float32");
  EXPECT_GT(metrics["validate_clips"].get<int>(), 0);
  ASSERT_EQ(metrics["epochs"].size(), 5u);
  for (const auto& epoch : metrics["epochs"]) {
    EXPECT_GT(epoch["examples_per_s"].get<double>(), 0.0);
    EXPECT_GT(epoch["validate_seconds"].get<double>(), 0.0);
  }
  testing::internal::CaptureStdout();
  ASSERT_EQ(cli::run_cli({"-q", "evaluate", "--model", dir.file("m.pelagos"), "--data", data, "--split", "test",
                          "--json", dir.file("e.json"), "--cache-dir", dir.file("cache")}),
            0);
  testing::internal::GetCapturedStdout();
  const auto j = nlohmann::json::parse(read_file(dir.file("e.json")));
  EXPECT_EQ(j["clips"].get<int>(), 61);
  EXPECT_GE(j["accuracy"].get<double>(), 0.25) << "chance is 0.1";
}

}  // namespace
}  // namespace pelagos
