// `pelagos tune` end to end on the synthetic demo data, in-process: a small
// study in SQLite, resumed, read back through the storage API, and the best
// model bundle loads. Tiny space, frozen random extractor: a few seconds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/cli.h"
#include "data/demo_data.h"
#include "model/bundle.h"
#include "pelagos/tune/storage.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

constexpr const char* kSpace = R"({
  "neurons": {"name": "IntDistribution", "attributes": {"low": 32, "high": 64, "step": 32, "log": false}},
  "epochs": {"name": "IntDistribution", "attributes": {"low": 1, "high": 2, "step": 1, "log": false}},
  "lr": {"name": "FloatDistribution", "attributes": {"low": 1e-4, "high": 1e-2, "step": null, "log": true}}
})";

class TuneCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    DemoDataOptions demo;
    demo.out_dir = dir_->file("demo");
    demo.train_per_species = 4;
    demo.validate_per_species = 2;
    demo.test_per_species = 2;
    write_demo_data(demo);
    std::ofstream(dir_->file("space.json")) << kSpace;
  }
  static void TearDownTestSuite() { delete dir_; }

  int tune(int trials, const std::string& space_file, const std::string& name = "demo") {
    return cli::run_cli({"--cache-dir", dir_->file("cache"), "--quiet", "--threads", "1", "tune", "--data",
                         dir_->file("demo"), "--storage", "sqlite:///" + dir_->file("study.db"), "--study-name",
                         name, "--trials", std::to_string(trials), "--space", space_file, "--init", "random",
                         "--seed", "3", "--trainable-layers", "0", "--out", dir_->file(name + ".pelagos")});
  }

  static test::TempDir* dir_;
};
test::TempDir* TuneCommand::dir_ = nullptr;

TEST_F(TuneCommand, RunsResumesAndKeepsTheBestModel) {
  ASSERT_EQ(tune(2, dir_->file("space.json")), 0);
  auto storage = tune::open_storage("sqlite:///" + dir_->file("study.db"));
  auto study = storage->find_study("demo");
  ASSERT_TRUE(study.has_value());
  EXPECT_EQ(storage->count_trials(*study, tune::TrialState::Complete), 2);

  // The same command with a larger budget resumes: the study's total grows to 3.
  ASSERT_EQ(tune(3, dir_->file("space.json")), 0);
  const auto trials = storage->get_all_trials(*study);
  ASSERT_EQ(trials.size(), 3u);
  double best = -1;
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, tune::TrialState::Complete);
    ASSERT_TRUE(t.value.has_value());
    EXPECT_FALSE(t.intermediate_values.empty());  // validation accuracy per epoch
    best = std::max(best, *t.value);
  }
  // The best model is scored on test once, and the report lands beside it.
  EXPECT_TRUE(std::filesystem::exists(dir_->file("demo.test.json")));
  std::ifstream report(dir_->file("demo.report.html"));
  const std::string html((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("aria-label=\"optimisation history\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"confusion matrix\""), std::string::npos);
  EXPECT_NE(html.find("random init (seed 3) \u2014 not pretrained"), std::string::npos);
  const LoadedModel model = load_bundle(dir_->file("demo.pelagos"));
  EXPECT_EQ(model.info.labels.size(), 6u);
  EXPECT_DOUBLE_EQ(model.info.metrics.at("validate_accuracy").get<double>(), best);
}

TEST_F(TuneCommand, RefusesToResumeWithAnotherSearchSpace) {
  ASSERT_EQ(tune(1, dir_->file("space.json"), "conflict"), 0);
  std::ofstream(dir_->file("other.json"))
      << R"({"neurons": {"name": "IntDistribution", "attributes": {"low": 32, "high": 96, "step": 32, "log": false}}})";
  EXPECT_EQ(tune(2, dir_->file("other.json"), "conflict"), 1);
}

TEST_F(TuneCommand, RejectsASpaceWithUnknownParameters) {
  std::ofstream(dir_->file("bad.json"))
      << R"({"learning_rate": {"name": "FloatDistribution", "attributes": {"low": 0.1, "high": 1, "step": null, "log": false}}})";
  EXPECT_EQ(tune(1, dir_->file("bad.json"), "bad"), 1);
}

// --enqueue: the listed trials run first, in order, with their values; names left
// out are sampled; running the command again does not enqueue them twice.
TEST_F(TuneCommand, EnqueuedTrialsRunFirstAndOnce) {
  std::ofstream(dir_->file("enqueue.json")) << R"([{"neurons": 64, "epochs": 1, "lr": 0.005}, {"lr": 0.0002}])";
  const auto run = [&](int trials) {
    return cli::run_cli({"--cache-dir", dir_->file("cache"), "--quiet", "--threads", "1", "tune", "--data",
                         dir_->file("demo"), "--storage", "sqlite:///" + dir_->file("enqueue.db"), "--study-name", "q",
                         "--trials", std::to_string(trials), "--space", dir_->file("space.json"), "--enqueue",
                         dir_->file("enqueue.json"), "--init", "random", "--seed", "3", "--trainable-layers", "0",
                         "--out", dir_->file("q.pelagos")});
  };
  ASSERT_EQ(run(2), 0);
  ASSERT_EQ(run(3), 0);
  auto storage = tune::open_storage("sqlite:///" + dir_->file("enqueue.db"));
  const auto trials = storage->get_all_trials(*storage->find_study("q"));
  ASSERT_EQ(trials.size(), 3u);
  EXPECT_EQ(trials[0].params_json(), nlohmann::json::parse(R"({"neurons": 64, "epochs": 1, "lr": 0.005})"));
  EXPECT_DOUBLE_EQ(trials[1].params_json().at("lr").get<double>(), 0.0002);
  EXPECT_EQ(trials[1].params_json().size(), 3u);  // neurons and epochs sampled
  for (const auto& t : trials) EXPECT_EQ(t.state, tune::TrialState::Complete);

  // A value outside the space is refused before anything runs, naming the entry.
  std::ofstream(dir_->file("enqueue_bad.json")) << R"([{"lr": 0.001}, {"neurons": 48}])";
  std::ostringstream captured;
  std::streambuf* old = std::cerr.rdbuf(captured.rdbuf());
  const int rc = cli::run_cli({"--quiet", "tune", "--data", dir_->file("demo"), "--storage", "memory", "--space",
                               dir_->file("space.json"), "--enqueue", dir_->file("enqueue_bad.json"), "--init",
                               "random", "--trainable-layers", "0"});
  std::cerr.rdbuf(old);
  const std::string error = captured.str();
  EXPECT_EQ(rc, 1);
  EXPECT_NE(error.find("trial 2 of 2"), std::string::npos) << error;
  EXPECT_NE(error.find("neurons"), std::string::npos) << error;
}

// --jobs 2: the pelagos executable starts one worker process; both work on the
// study until its total is reached, each trial numbered once.
TEST_F(TuneCommand, JobsRunWorkerProcessesOnOneStudy) {
  const std::string db = dir_->file("jobs.db");
  const auto r = test::run_command(
      std::string(PELAGOS_BINARY_DIR) + "/pelagos --cache-dir " + dir_->file("cache") + " --threads 2 tune --data " +
      dir_->file("demo") + " --storage sqlite:///" + db + " --study-name jobs --trials 4 --jobs 2 --space " +
      dir_->file("space.json") + " --init random --seed 5 --trainable-layers 0 --out " + dir_->file("jobs.pelagos") +
      " 2>" + dir_->file("jobs.log"));
  ASSERT_EQ(r.exit_code, 0);
  std::ifstream log_file(dir_->file("jobs.log"));
  const std::string log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(log.find("started 1 more worker process(es); 1 thread(s) each"), std::string::npos) << log;

  auto storage = tune::open_storage("sqlite:///" + db);
  const auto trials = storage->get_all_trials(*storage->find_study("jobs"));
  std::set<int> numbers;
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, tune::TrialState::Complete);
    numbers.insert(t.number);
  }
  EXPECT_EQ(numbers.size(), trials.size());
  EXPECT_EQ(trials.size(), 4u);  // the budget is the study's, checked and claimed in one transaction
}

TEST_F(TuneCommand, JobsNeedASharedStorage) {
  EXPECT_EQ(cli::run_cli({"--quiet", "tune", "--data", dir_->file("demo"), "--storage", "memory", "--jobs", "2",
                          "--space", dir_->file("space.json"), "--init", "random", "--trainable-layers", "0"}),
            1);
}

TEST_F(TuneCommand, TunesDenoisingAndAugmentation) {
  std::ofstream(dir_->file("aug.json")) << R"({
    "denoise": {"name": "CategoricalDistribution", "attributes": {"choices": ["off", "spectral-gate"]}},
    "mixup_p": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "step": 0.5, "log": false}},
    "specaugment_p": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "step": 0.5, "log": false}}})";
  ASSERT_EQ(cli::run_cli({"--cache-dir", dir_->file("cache"), "--quiet", "--threads", "1", "tune", "--data",
                          dir_->file("demo"), "--storage", "sqlite:///" + dir_->file("study.db"), "--study-name", "aug",
                          "--trials", "3", "--sampler", "random", "--space", dir_->file("aug.json"), "--init", "random",
                          "--seed", "3", "--trainable-layers", "0", "--variants", "1", "--gain-p", "1", "--out",
                          dir_->file("aug.pelagos")}),
            0);
  auto storage = tune::open_storage("sqlite:///" + dir_->file("study.db"));
  const auto trials = storage->get_all_trials(*storage->find_study("aug"));
  ASSERT_EQ(trials.size(), 3u);
  const LoadedModel model = load_bundle(dir_->file("aug.pelagos"));
  const int best_trial = model.info.metrics.at("trial").get<int>();
  const auto& best = trials[size_t(best_trial)];
  const auto params = best.params_json();
  EXPECT_EQ(std::string(to_string(model.info.frontend.denoise)), params.at("denoise").get<std::string>());
  EXPECT_EQ(model.info.augment.mixup_p, params.at("mixup_p").get<double>());
  EXPECT_EQ(model.info.augment.variants, 1);
  EXPECT_EQ(model.info.augment.gain_p, 1.0);
}

}  // namespace
}  // namespace pelagos
