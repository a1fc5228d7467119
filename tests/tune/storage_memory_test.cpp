#include <gtest/gtest.h>

#include <cstdlib>

#include "pelagos/error.h"
#include "pelagos/tune/storage.h"

namespace pelagos::tune {
namespace {

TEST(MemoryStorage, StudiesAndTrials) {
  auto storage = open_storage(":memory:");
  const int64_t id = storage->create_study("a", StudyDirection::Maximize);
  EXPECT_THROW(storage->create_study("a", StudyDirection::Minimize), Error);
  EXPECT_EQ(storage->find_study("a"), id);
  EXPECT_FALSE(storage->find_study("b"));
  EXPECT_EQ(storage->study_direction(id), StudyDirection::Maximize);

  const FrozenTrial t0 = storage->create_trial(id);
  EXPECT_EQ(t0.number, 0);
  EXPECT_EQ(t0.state, TrialState::Running);
  EXPECT_TRUE(t0.datetime_start);
  const Distribution d = Distribution::Categorical({"x", "y"});
  storage->set_trial_param(t0.trial_id, "c", 1.0, d);
  storage->set_trial_intermediate_value(t0.trial_id, 3, 0.25);
  EXPECT_TRUE(storage->set_trial_state_value(t0.trial_id, TrialState::Complete, 0.5));
  EXPECT_FALSE(storage->set_trial_state_value(t0.trial_id, TrialState::Fail));
  EXPECT_THROW(storage->set_trial_param(t0.trial_id, "c", 0.0, d), Error);  // finished
  const FrozenTrial back = storage->get_trial(t0.trial_id);
  EXPECT_EQ(back.param("c"), "y");
  EXPECT_EQ(back.intermediate_values.at(3), 0.25);
  EXPECT_TRUE(back.datetime_complete);

  // A parameter cannot change kind within a study.
  const FrozenTrial t1 = storage->create_trial(id);
  EXPECT_THROW(storage->set_trial_param(t1.trial_id, "c", 0.0, Distribution::Float(0, 1)), Error);

  FrozenTrial waiting;
  waiting.state = TrialState::Waiting;
  waiting.system_attrs["fixed_params"] = {{"c", "x"}};
  storage->create_trial(id, &waiting);
  EXPECT_EQ(storage->count_trials(id, TrialState::Waiting), 1);
  auto claimed = storage->claim_waiting_trial(id);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, 2);
  EXPECT_EQ(claimed->state, TrialState::Running);
  EXPECT_FALSE(storage->claim_waiting_trial(id));

  const auto summaries = storage->list_studies();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].n_trials, 3);
  EXPECT_EQ(summaries[0].best_trial->number, 0);
  EXPECT_EQ(storage->trial_id_from_number(id, 1), t1.trial_id);
  EXPECT_FALSE(storage->trial_id_from_number(id, 7));
  storage->delete_study(id);
  EXPECT_TRUE(storage->list_studies().empty());
}

TEST(OpenStorage, UrlsAndErrors) {
  EXPECT_NE(open_storage("memory"), nullptr);
  setenv("PELAGOS_DB_RETRY_SECONDS", "0", 1);  // an unresolvable host: no waiting for it to come back
  EXPECT_THROW(open_storage("postgresql://db"), Error);
  unsetenv("PELAGOS_DB_RETRY_SECONDS");
  EXPECT_THROW(open_storage("sqlite:///"), Error);
}

TEST(TrialState, NamesRoundTrip) {
  for (TrialState s : {TrialState::Running, TrialState::Complete, TrialState::Pruned, TrialState::Fail,
                       TrialState::Waiting})
    EXPECT_EQ(trial_state_from_string(to_string(s)), s);
  EXPECT_EQ(trial_state_from_string("complete"), TrialState::Complete);
  EXPECT_THROW(trial_state_from_string("done"), Error);
  EXPECT_EQ(study_direction_from_string("Maximize"), StudyDirection::Maximize);
  EXPECT_THROW(study_direction_from_string("up"), Error);
}

}  // namespace
}  // namespace pelagos::tune

namespace pelagos::tune {
namespace {

TEST(MemoryStorage, RefreshTrialsUpdatesUnfinishedAndAppendsNew) {
  auto storage = make_memory_storage();
  const int64_t id = storage->create_study("r", StudyDirection::Minimize);
  const FrozenTrial a = storage->create_trial(id);
  const FrozenTrial b = storage->create_trial(id);
  storage->set_trial_state_value(a.trial_id, TrialState::Complete, 1.0);
  std::vector<FrozenTrial> cache = storage->get_all_trials(id);
  storage->set_trial_intermediate_value(b.trial_id, 0, 0.5);
  storage->create_trial(id);
  storage->refresh_trials(id, cache);
  ASSERT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache[1].intermediate_values.at(0), 0.5);
  EXPECT_EQ(cache[0].value, 1.0);
  // The generic fallback gives the same answer.
  std::vector<FrozenTrial> fresh;
  storage->Storage::refresh_trials(id, fresh);
  ASSERT_EQ(fresh.size(), 3u);
  EXPECT_EQ(fresh[1].intermediate_values, cache[1].intermediate_values);
  // A cache from another study (or a stale longer one) is replaced, not patched.
  const int64_t other = storage->create_study("o", StudyDirection::Minimize);
  storage->refresh_trials(other, cache);
  EXPECT_TRUE(cache.empty());
}

}  // namespace
}  // namespace pelagos::tune
