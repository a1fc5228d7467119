#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pelagos/error.h"
#include "pelagos/tune/study.h"
#include "tune/seed_space.h"

namespace pelagos::tune {
namespace {

using nlohmann::json;

std::unique_ptr<Study> make_study(Storage& storage, const std::string& name = "s", StudyOptions options = {}) {
  return std::make_unique<Study>(storage, name, StudyDirection::Minimize, make_sampler("random", 0),
                                 std::make_unique<NopPruner>(), options);
}

TEST(Study, LoadsAnExistingStudyAndChecksItsDirection) {
  auto storage = make_memory_storage();
  {
    auto study = make_study(*storage);
    Trial t = study->ask();
    study->tell(t, 1.0);
  }
  auto again = make_study(*storage);
  EXPECT_EQ(again->trials().size(), 1u);
  EXPECT_THROW(Study(*storage, "s", StudyDirection::Maximize), Error);
}

TEST(Study, EnqueuedParamsAreUsedBeforeSampling) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  const json best = {{"num_hidden_layers", 2}, {"neurons", 4096}, {"epochs", 8}, {"lr", 0.0001},
                     {"dropout", 0.2},         {"batch_size", 32},  {"optimizer", "Adam"}, {"weight_decay", 1e-4}};
  study->enqueue_trial(best);
  study->enqueue_trial({{"lr", 0.0005}});  // partial: the rest is sampled
  EXPECT_EQ(storage->count_trials(study->id(), TrialState::Waiting), 2);
  Trial first = study->ask(test::seed_space());
  EXPECT_EQ(first.number(), 0);
  EXPECT_EQ(first.params(), best);
  Trial second = study->ask(test::seed_space());
  EXPECT_EQ(second.params()["lr"], 0.0005);
  EXPECT_EQ(second.params().size(), 8u);
  Trial third = study->ask(test::seed_space());
  EXPECT_EQ(third.number(), 2);
  EXPECT_EQ(storage->count_trials(study->id(), TrialState::Waiting), 0);
}

TEST(Study, EnqueuedValueOutsideTheSpaceIsAnError) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  study->enqueue_trial({{"neurons", 1000}});
  try {
    study->ask(test::seed_space());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'neurons'"), std::string::npos) << e.what();
  }
}

TEST(Study, DefineByRunSuggestions) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  Trial t = study->ask();
  const double lr = t.suggest_float("lr", 1e-5, 1e-3, true);
  const int64_t n = t.suggest_int("n", 1, 5);
  const json opt = t.suggest_categorical("opt", {"Adam", "SGD"});
  EXPECT_EQ(t.suggest_float("lr", 1e-5, 1e-3, true), lr);  // same name again: same value
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 5);
  EXPECT_TRUE(opt == "Adam" || opt == "SGD");
  EXPECT_EQ(t.suggest_int("fixed", 3, 3), 3);  // single-valued
  study->tell(t, 0.5);
  const FrozenTrial stored = study->trials().at(0);
  EXPECT_EQ(stored.state, TrialState::Complete);
  EXPECT_EQ(stored.param("opt"), opt);
  EXPECT_EQ(*stored.value, 0.5);
}

TEST(Study, TellRules) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  Trial a = study->ask();
  study->tell(a, 1.0);
  EXPECT_THROW(study->tell(a, 2.0), Error);  // already finished
  Trial b = study->ask();
  study->tell(b, std::nan(""));
  EXPECT_EQ(study->trials()[1].state, TrialState::Fail);
  Trial c = study->ask();
  c.report(0, 3.0);
  c.report(4, 2.5);
  study->tell(c, TrialState::Pruned);
  EXPECT_EQ(study->trials()[2].state, TrialState::Pruned);
  EXPECT_EQ(*study->trials()[2].value, 2.5);  // the last intermediate value, as Optuna
  EXPECT_THROW(study->tell(99, TrialState::Complete, 1.0), Error);
  Trial d = study->ask();
  EXPECT_THROW(study->tell(d.number(), TrialState::Complete), Error);  // COMPLETE needs a value
  EXPECT_EQ(study->best_trial()->number, 0);
}

TEST(Study, OptimizeHandlesPrunedAndFailingObjectives) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  int calls = 0;
  const int run = study->optimize([&](Trial& t) -> double {
    ++calls;
    const double x = t.suggest_float("x", -1, 1);
    t.report(0, x);
    if (calls % 3 == 0) throw TrialPruned();
    return x * x;
  }, 9);
  EXPECT_EQ(run, 9);
  EXPECT_EQ(storage->count_trials(study->id(), TrialState::Pruned), 3);
  EXPECT_EQ(storage->count_trials(study->id(), TrialState::Complete), 6);
  EXPECT_THROW(study->optimize([](Trial&) -> double { throw std::runtime_error("boom"); }, 5), std::runtime_error);
  EXPECT_EQ(storage->count_trials(study->id(), TrialState::Fail), 1);
}

TEST(Study, OptimizeStopsAtTheTimeout) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  const auto start = std::chrono::steady_clock::now();
  const int run = study->optimize([](Trial& t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return t.suggest_float("x", 0, 1);
  }, std::nullopt, 0.2);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(run, 2);
  EXPECT_LE(run, 11);
  EXPECT_LT(elapsed, 1.0);
}

TEST(Study, StudyTotalBudgetCountsEveryWorkersTrials) {
  auto storage = make_memory_storage();
  auto study = make_study(*storage);
  study->optimize([](Trial& t) { return t.suggest_float("x", 0, 1); }, 4);
  Trial left_running = study->ask();  // another worker's trial still in flight
  study->enqueue_trial({{"x", 0.5}});  // waiting trials do not count
  const int run =
      study->optimize([](Trial& t) { return t.suggest_float("x", 0, 1); }, 10, std::nullopt, Budget::StudyTotal);
  EXPECT_EQ(run, 5);  // 4 finished + 1 running + 5 new = 10
  EXPECT_EQ(storage->count_trials(study->id()), 10);
}

TEST(Study, HeartbeatsFailTrialsOfDeadWorkers) {
  auto storage = make_memory_storage();
  StudyOptions options;
  options.heartbeat_interval_s = 0.05;
  options.grace_period_s = 0.5;  // generous: the machine may be busy
  auto study = make_study(*storage, "h", options);
  Trial dead = study->ask();
  storage->record_heartbeat(dead.id());  // the dead worker's last beat
  std::vector<int> failed;
  // A live trial keeps beating through a long objective; a sweep from
  // another worker after the grace period fails only the dead one.
  study->optimize([&](Trial& t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    failed = study->fail_stale_trials();
    return t.suggest_float("x", 0, 1);
  }, 1);
  EXPECT_EQ(failed, std::vector<int>{0});
  EXPECT_EQ(study->trials()[0].state, TrialState::Fail);
  EXPECT_EQ(study->trials()[1].state, TrialState::Complete);
  // Without heartbeats nothing is ever failed.
  auto plain = make_study(*storage, "h");
  EXPECT_TRUE(plain->fail_stale_trials().empty());
}

TEST(Study, ParallelWorkersShareOneStorage) {
  auto storage = make_memory_storage();
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&storage, w] {
      Study study(*storage, "par", StudyDirection::Minimize, make_sampler("tpe", static_cast<uint64_t>(w)),
                  std::make_unique<NopPruner>());
      study.optimize([](Trial& t) { return t.suggest_float("x", -1, 1) * t.suggest_float("x", -1, 1); }, 40,
                     std::nullopt, Budget::StudyTotal);
    });
  for (auto& w : workers) w.join();
  auto study = make_study(*storage, "par");
  const auto trials = study->trials();
  EXPECT_GE(trials.size(), 40u);
  EXPECT_LE(trials.size(), 43u);  // at most one extra per other worker (check-then-ask race)
  for (size_t i = 0; i < trials.size(); ++i) EXPECT_EQ(trials[i].number, static_cast<int>(i));
}

}  // namespace
}  // namespace pelagos::tune
