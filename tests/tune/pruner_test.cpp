#include <gtest/gtest.h>

#include <cmath>

#include "pelagos/error.h"
#include "pelagos/tune/study.h"

namespace pelagos::tune {
namespace {

double curve(int i, int s) {
  const double a = ((i * 37) % 11) / 10.0 + 0.2, b = ((i * 53) % 7) / 10.0;
  return a * std::exp(-0.3 * s) + b;
}

// Runs trials that report curve(i, step) for steps 0..n_steps-1 and returns,
// per trial, the step it was pruned at (-1: completed). The expectations come
// from the same loop run with Optuna 3.1.0's pruners (ask/report/should_prune/tell).
std::vector<int> run(std::unique_ptr<Pruner> pruner, const std::string& name, int n_trials = 20, int n_steps = 9,
                     StudyDirection direction = StudyDirection::Minimize) {
  auto storage = make_memory_storage();
  Study study(*storage, name, direction, std::make_unique<RandomSampler>(0), std::move(pruner));
  std::vector<int> out;
  for (int i = 0; i < n_trials; ++i) {
    Trial t = study.ask();
    int pruned_at = -1;
    double v = 0.0;
    for (int s = 0; s < n_steps; ++s) {
      v = direction == StudyDirection::Minimize ? curve(i, s) : -curve(i, s);
      t.report(s, v);
      if (t.should_prune()) {
        pruned_at = s;
        break;
      }
    }
    if (pruned_at >= 0)
      study.tell(t, TrialState::Pruned);
    else
      study.tell(t, v);
    out.push_back(pruned_at);
  }
  return out;
}

TEST(MedianPruner, MatchesOptunaDefaults) {
  const std::vector<int> optuna{-1, -1, -1, -1, -1, 0, 4, -1, 0, -1, 0, 7, 0, 0, -1, 0, 0, 0, 0, 0};
  EXPECT_EQ(run(std::make_unique<MedianPruner>(), "m"), optuna);
  EXPECT_EQ(run(std::make_unique<MedianPruner>(), "m", 20, 9, StudyDirection::Maximize), optuna);
}

TEST(MedianPruner, MatchesOptunaWithWarmupAndInterval) {
  MedianPrunerParams p;
  p.n_startup_trials = 2;
  p.n_warmup_steps = 3;
  p.interval_steps = 2;
  EXPECT_EQ(run(std::make_unique<MedianPruner>(p), "m"),
            (std::vector<int>{-1, -1, 3, 3, 3, 3, 3, -1, 3, 5, 3, 5, 3, 3, -1, 3, 3, 3, 3, 3}));
}

TEST(PercentilePruner, MatchesOptuna) {
  // Optuna 3.1.0, PercentilePruner(75.0), (25.0) and (75.0, n_warmup_steps=2) on the same loop.
  const std::vector<int> keep75{-1, -1, -1, -1, -1, 0, -1, -1, 0, -1, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0};
  const std::vector<int> keep25{-1, -1, -1, -1, -1, 0, 4, -1, 0, 6, 0, 5, 0, 0, -1, 0, 0, 0, 0, 0};
  EXPECT_EQ(run(std::make_unique<PercentilePruner>(75.0), "p"), keep75);
  EXPECT_EQ(run(std::make_unique<PercentilePruner>(75.0), "p", 20, 9, StudyDirection::Maximize), keep75);
  EXPECT_EQ(run(std::make_unique<PercentilePruner>(25.0), "p"), keep25);
  EXPECT_EQ(run(std::make_unique<PercentilePruner>(25.0), "p", 20, 9, StudyDirection::Maximize), keep25);
  EXPECT_EQ(run(make_pruner("percentile", {{"percentile", "75"}, {"n_warmup_steps", "2"}}), "p"),
            (std::vector<int>{-1, -1, -1, -1, -1, 2, -1, -1, 2, -1, 2, -1, 2, 2, -1, 2, 2, 2, 2, 2}));
  EXPECT_EQ(run(make_pruner("percentile", {{"percentile", "50"}}), "p"), run(std::make_unique<MedianPruner>(), "p"));
  EXPECT_THROW(PercentilePruner(100.5), Error);
  EXPECT_THROW(PercentilePruner(-1.0), Error);
}

TEST(MedianPruner, RejectsBadParameters) {
  MedianPrunerParams p;
  p.interval_steps = 0;
  EXPECT_THROW(MedianPruner{p}, Error);
}

TEST(MakePruner, OptionsUseOptunasArgumentNames) {
  // The same settings as MatchesOptunaWithWarmupAndInterval, given as the CLI gives them.
  const PrunerOptions options =
      parse_pruner_options({"n_startup_trials=2", "n_warmup_steps=3", "interval_steps=2", "n_min_trials=1"});
  EXPECT_EQ(run(make_pruner("median", options), "m"),
            (std::vector<int>{-1, -1, 3, 3, 3, 3, 3, -1, 3, 5, 3, 5, 3, 3, -1, 3, 3, 3, 3, 3}));
  EXPECT_EQ(run(make_pruner("median", {{"n_warmup_steps", "0"}}), "m"), run(make_pruner("median"), "m"));
  EXPECT_EQ(run(make_pruner("sha", {{"min_resource", "auto"}, {"reduction_factor", "4"}}), "s"),
            run(make_pruner("successive-halving"), "s"));
  EXPECT_EQ(run(make_pruner("hyperband", {{"max_resource", "auto"}}), "h"), run(make_pruner("hyperband"), "h"));
}

TEST(MakePruner, BadOptionsNameTheOptionAndWhatIsAccepted) {
  auto message = [](const std::string& name, const PrunerOptions& options) {
    try {
      make_pruner(name, options);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto expect_mentions = [](const std::string& text, const std::string& part) {
    EXPECT_NE(text.find(part), std::string::npos) << text;
  };
  expect_mentions(message("median", {{"warmup", "2"}}), "'warmup'; it takes n_startup_trials, n_warmup_steps");
  expect_mentions(message("median", {{"n_warmup_steps", "two"}}), "n_warmup_steps=two: expected a whole number");
  expect_mentions(message("median", {{"n_warmup_steps", "2.5"}}), "expected a whole number");
  expect_mentions(message("median", {{"n_warmup_steps", "99999999999"}}), "out of range");
  expect_mentions(message("median", {{"n_warmup_steps", "-1"}}), "n_warmup_steps must be >= 0");
  expect_mentions(message("median", {{"n_startup_trials", "auto"}}), "expected a whole number");
  expect_mentions(message("hyperband", {{"min_resource", "auto"}}), "expected a whole number");
  expect_mentions(message("hyperband", {{"reduction_factor", "1"}}), "reduction_factor must be >= 2");
  expect_mentions(message("sha", {{"max_resource", "9"}}), "min_resource, reduction_factor");
  expect_mentions(message("none", {{"n_warmup_steps", "2"}}), "without a pruner");
  expect_mentions(message("percentile", {}), "--pruner-option percentile=P");
  expect_mentions(message("percentile", {{"percentile", "high"}}), "percentile=high: expected a number");
  expect_mentions(message("percentile", {{"percentile", "nan"}}), "expected a number");
  expect_mentions(message("median", {{"percentile", "75"}}), "no option 'percentile'");
  EXPECT_THROW(parse_pruner_options({"n_warmup_steps"}), Error);
  EXPECT_THROW(parse_pruner_options({"=2"}), Error);
  EXPECT_THROW(parse_pruner_options({"n_warmup_steps="}), Error);
}

TEST(SuccessiveHalvingPruner, MatchesOptunaDefaults) {
  EXPECT_EQ(run(std::make_unique<SuccessiveHalvingPruner>(), "s"),
            (std::vector<int>{-1, -1, -1, 4, 4, 1, 4, -1, 1, 4, 1, 4, 1, 1, -1, 1, 1, 1, 1, 1}));
}

TEST(SuccessiveHalvingPruner, MatchesOptunaWithExplicitResources) {
  SuccessiveHalvingParams r2;
  r2.min_resource = 1;
  r2.reduction_factor = 2;
  EXPECT_EQ(run(std::make_unique<SuccessiveHalvingPruner>(r2), "s"),
            (std::vector<int>{-1, 1, 1, 2, 2, 1, 4, 4, 1, 4, 1, 4, 1, 1, 8, 1, 1, 2, 2, 1}));
  SuccessiveHalvingParams r3;
  r3.min_resource = 2;
  r3.reduction_factor = 3;
  r3.min_early_stopping_rate = 1;
  EXPECT_EQ(run(std::make_unique<SuccessiveHalvingPruner>(r3), "s"),
            (std::vector<int>{-1, 6, 6, 6, 6, 6, 6, -1, 6, -1, 6, -1, 6, 6, -1, 6, 6, 6, 6, 6}));
}

TEST(SuccessiveHalvingPruner, RejectsBootstrapWithAutoResource) {
  SuccessiveHalvingParams p;
  p.bootstrap_count = 2;
  EXPECT_THROW(SuccessiveHalvingPruner{p}, Error);
}

TEST(HyperbandPruner, MatchesOptuna) {
  EXPECT_EQ(run(std::make_unique<HyperbandPruner>(), "hb-study", 30),
            (std::vector<int>{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, -1, -1,
                              -1, -1, 3,  -1, 3,  -1, 1,  3,  3,  -1, -1, 3, 1,  -1, 3}));
  HyperbandParams p;
  p.max_resource = 9;
  EXPECT_EQ(run(std::make_unique<HyperbandPruner>(p), "hb-study", 30),
            (std::vector<int>{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, 3, -1, 3,
                              -1, -1, 3,  -1, 3,  -1, 1,  3,  3,  -1, -1, 3, 1,  -1, 3}));
}

TEST(HyperbandPruner, BracketsFollowOptunasHash) {
  HyperbandParams p;
  p.max_resource = 9;  // 3 brackets with budgets 9, 5, 3
  HyperbandPruner pruner(p);
  std::vector<FrozenTrial> none;
  FrozenTrial t;
  t.number = 0;
  t.intermediate_values[0] = 1.0;
  pruner.prune(StudyView{"hb-study", StudyDirection::Minimize, none}, t);
  ASSERT_EQ(pruner.n_brackets(), 3);
  // binascii.crc32(b"hb-study_<n>") % 17 = 13, 8, 2, 14, 5 for n = 0..4.
  EXPECT_EQ(pruner.bracket_of("hb-study", 0), 1);
  EXPECT_EQ(pruner.bracket_of("hb-study", 1), 0);
  EXPECT_EQ(pruner.bracket_of("hb-study", 2), 0);
  EXPECT_EQ(pruner.bracket_of("hb-study", 3), 2);
  EXPECT_EQ(pruner.bracket_of("hb-study", 4), 0);
}

TEST(NopPruner, NeverPrunes) {
  EXPECT_EQ(run(std::make_unique<NopPruner>(), "n", 8), std::vector<int>(8, -1));
}

}  // namespace
}  // namespace pelagos::tune
