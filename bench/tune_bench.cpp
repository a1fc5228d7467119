// TPE ask latency on the project's 8-parameter search space with N finished
// trials in an in-memory study (Optuna 3.1 takes 16 / 29 / 61 ms for N = 20 /
// 100 / 500 on this machine; anchor_results_optuna.md). Asked trials are told
// FAIL so N stays fixed (TPE ignores failed trials), as time_optuna.py does.
#include <benchmark/benchmark.h>

#include <cmath>

#include "pelagos/tune/study.h"
#include "tune/seed_space.h"

namespace pelagos::tune {
namespace {

void fill(Study& study, const SearchSpace& space, int n) {
  for (int i = 0; i < n; ++i) {
    Trial t = study.ask(space);
    const auto p = t.params();
    study.tell(t, std::abs(std::log10(p["lr"].get<double>()) + 4.0) + 0.1 * p["num_hidden_layers"].get<double>() +
                      0.05 * p["epochs"].get<double>() / 12 + (p["optimizer"] == "SGD" ? 0.2 : 0.0));
  }
}

void run(benchmark::State& state, const char* sampler) {
  const SearchSpace space = test::seed_space();
  auto storage = make_memory_storage();
  Study study(*storage, "bench", StudyDirection::Minimize, make_sampler(sampler, 0), std::make_unique<NopPruner>());
  fill(study, space, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Trial t = study.ask(space);
    benchmark::DoNotOptimize(t.frozen().params.size());
    state.PauseTiming();
    study.tell(t, TrialState::Fail);
    state.ResumeTiming();
  }
}

void BM_TPEAsk(benchmark::State& state) { run(state, "tpe"); }
void BM_TPEMultivariateAsk(benchmark::State& state) { run(state, "tpe-multivariate"); }
void BM_RandomAsk(benchmark::State& state) { run(state, "random"); }

// A fixed number of timed asks: every one leaves a FAIL trial behind, and
// thousands of those would make the storage copy, not the sampler, the cost.
constexpr int kAsks = 50;
BENCHMARK(BM_TPEAsk)->Arg(20)->Arg(100)->Arg(500)->Iterations(kAsks)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TPEMultivariateAsk)->Arg(20)->Arg(100)->Arg(500)->Iterations(kAsks)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RandomAsk)->Arg(20)->Arg(500)->Iterations(kAsks)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pelagos::tune
