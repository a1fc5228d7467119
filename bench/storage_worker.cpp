// One lightweight tuning worker for bench/storage_overhead.py: ask + tell on a
// cheap synthetic objective against any storage URL, timing each round trip.
//
//   pelagos_storage_worker URL STUDY fill N          add N COMPLETE trials (untimed)
//   pelagos_storage_worker URL STUDY time R SAMPLER  R timed ask+tell pairs, each told FAIL so the
//                                                    history stays fixed (TPE ignores FAIL trials)
//   pelagos_storage_worker URL STUDY work BUDGET     optimize() until the study holds BUDGET trials
//
// Prints one JSON line: {"n": pairs, "wall_ms": [...], "cpu_ms": total CPU of this process}.
#include <time.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/tune/sampler.h"
#include "pelagos/tune/storage.h"
#include "pelagos/tune/study.h"

using namespace pelagos::tune;

namespace {

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

const SearchSpace& space() {
  static const SearchSpace s{{"x", Distribution::Float(-5, 5)},
                             {"y", Distribution::Float(1e-4, 1, true)},
                             {"k", Distribution::Int(1, 8)}};
  return s;
}

double objective(const Trial& t) {
  const auto& p = t.frozen().params;
  return p.at("x") * p.at("x") + std::log(p.at("y")) + p.at("k");
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 5) {
    std::cerr << "usage: pelagos_storage_worker URL STUDY fill|time|work N [SAMPLER]\n";
    return 2;
  }
  const std::string url = argv[1], name = argv[2], mode = argv[3];
  const int n = std::stoi(argv[4]);
  const std::string sampler = argc > 5 ? argv[5] : "tpe";
  auto storage = open_storage(url);
  Study study(*storage, name, StudyDirection::Minimize, make_sampler(mode == "fill" ? "random" : sampler, std::nullopt));
  std::vector<double> wall;
  const double cpu0 = cpu_ms();
  if (mode == "work") {
    // optimize() with the study-wide budget, as `pelagos tune` runs; the gap
    // between one objective call and the next is tell + ask.
    std::optional<std::chrono::steady_clock::time_point> last;
    study.optimize(
        [&](Trial& t) {
          const auto now = std::chrono::steady_clock::now();
          if (last) wall.push_back(std::chrono::duration<double, std::milli>(now - *last).count());
          for (const auto& [param, dist] : space()) t.suggest(param, dist);
          const double v = objective(t);
          last = std::chrono::steady_clock::now();
          return v;
        },
        n, std::nullopt, Budget::StudyTotal);
  } else {
    for (int i = 0; i < n; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      Trial trial = study.ask(space());
      if (mode == "time") {
        study.tell(trial, TrialState::Fail);
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      } else {
        study.tell(trial, objective(trial));
      }
    }
  }
  std::cout << nlohmann::json{{"n", wall.size()}, {"wall_ms", wall}, {"cpu_ms", cpu_ms() - cpu0}}.dump() << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "pelagos_storage_worker: " << e.what() << "\n";
  return 1;
}
