#include <gtest/gtest.h>

#include <cmath>

#include "tune/tpe_split.h"

namespace pelagos::tune {
namespace {

FrozenTrial trial(int number, TrialState state, std::optional<double> value = std::nullopt,
                  std::map<int64_t, double> reports = {}) {
  FrozenTrial t;
  t.number = number;
  t.state = state;
  t.value = value;
  t.intermediate_values = std::move(reports);
  return t;
}

TEST(TPESplit, CompletedFirstThenPrunedByDepthThenRunning) {
  std::vector<FrozenTrial> trials{
      trial(0, TrialState::Pruned, 9.0, {{0, 9.0}, {1, 9.0}, {2, 9.0}}),  // deep, bad value
      trial(1, TrialState::Complete, 5.0),
      trial(2, TrialState::Pruned, 1.0, {{0, 1.0}}),                        // shallow, good value
      trial(3, TrialState::Running),
      trial(4, TrialState::Complete, 7.0),
      trial(5, TrialState::Pruned),                                         // no reports
      trial(6, TrialState::Fail),
      trial(7, TrialState::Pruned, NAN, {{0, 1.0}, {4, NAN}}),              // deepest, NaN last report
      trial(8, TrialState::Running),                                        // the trial being sampled
  };
  TPEParams params;
  params.gamma_fraction = 0.5;  // n = 6 finished -> 3 below
  params.constant_liar = true;
  TPESplit split = split_trials(StudyView{"s", StudyDirection::Minimize, trials}, trials[8], params);
  EXPECT_EQ(split.n, 6);
  // Rank: 1 (5.0), 4 (7.0), 7 (step 4, NaN = worst at its depth), 0 (step 2), 2 (step 0), 5, then 3 (liar).
  EXPECT_EQ(split.below, (std::vector<size_t>{1, 4, 7}));
  EXPECT_EQ(split.above, (std::vector<size_t>{0, 2, 3, 5}));

  params.constant_liar = false;
  params.gamma_fraction = 0.1;  // ceil(0.6) = 1
  split = split_trials(StudyView{"s", StudyDirection::Maximize, trials}, trials[8], params);
  EXPECT_EQ(split.below, (std::vector<size_t>{4}));  // maximize: 7.0 beats 5.0
  EXPECT_EQ(split.above, (std::vector<size_t>{0, 1, 2, 5, 7}));
}

TEST(TPEParams, GammaAndWeightsAreOptunasDefaults) {
  TPEParams p;
  EXPECT_EQ(p.gamma(0), 0);
  EXPECT_EQ(p.gamma(10), 1);
  EXPECT_EQ(p.gamma(11), 2);
  EXPECT_EQ(p.gamma(500), 25);
  EXPECT_EQ(p.weights(3), (std::vector<double>{1, 1, 1}));
  // optuna.samplers._tpe.sampler.default_weights(28): linspace(1/28, 1, 3) then 25 ones.
  const auto w = p.weights(28);
  ASSERT_EQ(w.size(), 28u);
  EXPECT_DOUBLE_EQ(w[0], 1.0 / 28);
  EXPECT_DOUBLE_EQ(w[1], (1.0 / 28 + 1.0) / 2);
  EXPECT_DOUBLE_EQ(w[2], 1.0);
  EXPECT_DOUBLE_EQ(w[27], 1.0);
  EXPECT_DOUBLE_EQ(p.weights(26)[0], 1.0 / 26);
}

}  // namespace
}  // namespace pelagos::tune
