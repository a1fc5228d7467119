#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "pelagos/error.h"
#include "pelagos/tune/study.h"
#include "tune/seed_space.h"

namespace pelagos::tune {
namespace {

using nlohmann::json;

std::vector<json> ask_sequence(std::unique_ptr<Sampler> sampler, int n, const SearchSpace& space) {
  auto storage = make_memory_storage();
  Study study(*storage, "s", StudyDirection::Minimize, std::move(sampler), std::make_unique<NopPruner>());
  std::vector<json> out;
  for (int i = 0; i < n; ++i) {
    Trial t = study.ask(space);
    const json p = t.params();
    // A deterministic objective so that TPE's history is the same on both runs.
    study.tell(t, std::log10(p["lr"].get<double>()) + 0.1 * p["num_hidden_layers"].get<double>());
    out.push_back(p);
  }
  return out;
}

TEST(Sampler, SameSeedSameSequence) {
  const SearchSpace space = test::seed_space();
  for (const char* name : {"random", "tpe", "tpe-multivariate"}) {
    const auto a = ask_sequence(make_sampler(name, 42), 25, space);
    const auto b = ask_sequence(make_sampler(name, 42), 25, space);
    const auto c = ask_sequence(make_sampler(name, 43), 25, space);
    EXPECT_EQ(a, b) << name;
    EXPECT_NE(a, c) << name;
    EXPECT_NE(a[3], a[4]) << name << ": trials must differ";
  }
}

// A new Study and sampler for every ask, as the CLI does (one process per call).
TEST(Sampler, StatelessAskMatchesLongLivedSampler) {
  const SearchSpace space = test::seed_space();
  const auto long_lived = ask_sequence(make_sampler("tpe", 7), 14, space);
  auto storage = make_memory_storage();
  for (int i = 0; i < 14; ++i) {
    Study study(*storage, "s", StudyDirection::Minimize, make_sampler("tpe", 7), std::make_unique<NopPruner>());
    Trial t = study.ask(space);
    EXPECT_EQ(t.params(), long_lived[static_cast<size_t>(i)]) << "trial " << i;
    const json p = t.params();
    study.tell(t, std::log10(p["lr"].get<double>()) + 0.1 * p["num_hidden_layers"].get<double>());
  }
}

TEST(Sampler, SamplesAreInsideTheirDistributions) {
  const SearchSpace space = test::seed_space();
  for (const char* name : {"random", "tpe", "tpe-multivariate"})
    for (const json& p : ask_sequence(make_sampler(name, 1), 30, space))
      for (const auto& [param, dist] : space) EXPECT_NO_THROW(dist.to_internal(p.at(param))) << name << " " << param;
}

// Regret of the best value after n trials on a shifted quadratic bowl.
double quadratic_regret(std::unique_ptr<Sampler> sampler, int n_trials) {
  auto storage = make_memory_storage();
  Study study(*storage, "q", StudyDirection::Minimize, std::move(sampler), std::make_unique<NopPruner>());
  const SearchSpace space{{"x", Distribution::Float(-10, 10)}, {"y", Distribution::Float(-10, 10)},
                          {"k", Distribution::Int(-10, 10)}};
  for (int i = 0; i < n_trials; ++i) {
    Trial t = study.ask(space);
    const json p = t.params();
    const double x = p["x"].get<double>() - 3.0, y = p["y"].get<double>() + 2.0, k = p["k"].get<double>() - 4.0;
    study.tell(t, x * x + y * y + k * k);
  }
  return *study.best_trial()->value;
}

TEST(TPESampler, BeatsRandomOnAQuadratic) {
  double tpe = 0.0, random = 0.0;
  int tpe_wins = 0;
  const int seeds = 20;
  for (int s = 0; s < seeds; ++s) {
    const double a = quadratic_regret(make_sampler("tpe", s), 60);
    const double b = quadratic_regret(make_sampler("random", s), 60);
    tpe += a;
    random += b;
    tpe_wins += a < b;
  }
  // Random search's mean regret here is ~20x TPE's; a factor 3 cannot flake.
  EXPECT_LT(tpe * 3.0, random) << "mean regret tpe " << tpe / seeds << " random " << random / seeds;
  EXPECT_GE(tpe_wins, 14);
}

TEST(TPESampler, StartupTrialsAreRandomSamplerTrials) {
  const SearchSpace space = test::seed_space();
  const auto tpe = ask_sequence(make_sampler("tpe", 5), 10, space);
  const auto random = ask_sequence(make_sampler("random", 5), 10, space);
  EXPECT_EQ(tpe, random);  // as Optuna: TPE's first n_startup_trials come from RandomSampler(seed)
}

TEST(TPESampler, ConstantLiarSpreadsParallelTrials) {
  // 12 workers ask before anyone tells: without a liar every running trial
  // sees the same history; with it each one treats the others as bad results.
  auto distinct = [](bool liar) {
    TPEParams p;
    p.constant_liar = liar;
    p.n_startup_trials = 5;
    auto storage = make_memory_storage();
    Study study(*storage, "c", StudyDirection::Minimize, std::make_unique<TPESampler>(p, 3),
                std::make_unique<NopPruner>());
    const SearchSpace space{{"k", Distribution::Int(0, 40)}};
    for (int i = 0; i < 10; ++i) {
      Trial t = study.ask(space);
      study.tell(t, std::abs(t.params()["k"].get<double>() - 20.0));
    }
    std::vector<Trial> running;
    std::set<int64_t> values;
    for (int i = 0; i < 12; ++i) {
      running.push_back(study.ask(space));
      values.insert(running.back().params()["k"].get<int64_t>());
    }
    return values.size();
  };
  const size_t with_liar = distinct(true), without = distinct(false);
  EXPECT_GT(with_liar, without);
  EXPECT_GE(with_liar, 8u);
}

TEST(GridSampler, CoversEveryPointOnceThenStops) {
  const SearchSpace space{{"a", Distribution::Int(1, 3)}, {"b", Distribution::Categorical({"x", "y"})},
                          {"c", Distribution::Float(0.1, 0.3, false, 0.1)}};
  auto storage = make_memory_storage();
  Study study(*storage, "g", StudyDirection::Minimize, std::make_unique<GridSampler>(space, 0),
              std::make_unique<NopPruner>());
  const int run = study.optimize([&](Trial& t) {
    for (const auto& [name, dist] : space) t.suggest(name, dist);
    return 0.0;
  }, 100);
  EXPECT_EQ(run, 18);
  std::set<std::string> seen;
  for (const FrozenTrial& t : study.trials()) seen.insert(t.params_json().dump());
  EXPECT_EQ(seen.size(), 18u);
  EXPECT_TRUE(seen.count(json({{"a", 2}, {"b", "y"}, {"c", 0.3}}).dump()));
}

TEST(GridSampler, ExplicitGridAndContinuousFloatError) {
  GridSampler grid(GridSampler::Grid{{"lr", {1e-4, 1e-3}}, {"opt", {"Adam", "SGD", "RMSprop"}}});
  EXPECT_EQ(grid.size(), 6u);
  EXPECT_EQ(grid.point(0), json({{"lr", 1e-4}, {"opt", "Adam"}}));
  EXPECT_EQ(grid.point(5), json({{"lr", 1e-3}, {"opt", "RMSprop"}}));
  EXPECT_THROW(GridSampler(SearchSpace{{"lr", Distribution::Float(1e-5, 1e-3, true)}}), Error);
}

TEST(Sampler, UnknownNameIsAnError) { EXPECT_THROW(make_sampler("cmaes", 0), Error); }

}  // namespace
}  // namespace pelagos::tune
