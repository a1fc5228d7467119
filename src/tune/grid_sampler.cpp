#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/tune/sampler.h"
#include "tune/decimal.h"
#include "tune/rng.h"

namespace pelagos::tune {
namespace {

const char* kGridIdKey = "grid_id";
const char* kSearchSpaceKey = "search_space";
const char* kFixedParamsKey = "fixed_params";

std::vector<nlohmann::json> discretise(const std::string& name, const Distribution& d) {
  std::vector<nlohmann::json> values;
  switch (d.kind) {
    case Distribution::Kind::Categorical: return d.choices;
    case Distribution::Kind::Int:
      for (double v = d.low; v <= d.high; v += d.log ? 1.0 : *d.step) values.emplace_back(static_cast<int64_t>(v));
      return values;
    case Distribution::Kind::Float:
      if (!d.step) {
        if (d.low == d.high) return {d.low};
        throw Error("grid sampler: parameter '" + name +
                    "' is a continuous float; give it a step or list its grid values explicitly");
      }
      for (long long k = 0, n = decimal::steps_in_range(d.low, d.high, *d.step); k <= n; ++k)
        values.emplace_back(decimal::add_steps(d.low, k, *d.step));
      return values;
  }
  return values;
}

GridSampler::Grid grid_of(const SearchSpace& space) {
  GridSampler::Grid grid;
  for (const auto& [name, dist] : space) grid[name] = discretise(name, dist);
  return grid;
}

}  // namespace

GridSampler::GridSampler(Grid grid, std::optional<uint64_t> seed) : Sampler(seed), grid_(std::move(grid)) {
  for (const auto& [name, values] : grid_) {
    if (values.empty()) throw Error("grid sampler: parameter '" + name + "' has no grid values");
    n_points_ *= values.size();
  }
}

GridSampler::GridSampler(const SearchSpace& space, std::optional<uint64_t> seed) : GridSampler(grid_of(space), seed) {}

nlohmann::json GridSampler::point(size_t id) const {
  // Mixed radix with the last (sorted) name varying fastest, as itertools.product.
  nlohmann::json p = nlohmann::json::object();
  for (auto it = grid_.rbegin(); it != grid_.rend(); ++it) {
    p[it->first] = it->second[id % it->second.size()];
    id /= it->second.size();
  }
  return p;
}

bool GridSampler::same_grid(const nlohmann::json& recorded) const {
  if (!recorded.is_object() || recorded.size() != grid_.size()) return false;
  for (const auto& [name, values] : grid_) {
    auto it = recorded.find(name);
    if (it == recorded.end() || !it->is_array() || it->size() != values.size()) return false;
    for (size_t i = 0; i < values.size(); ++i)
      if (!same_choice(values[i], (*it)[i])) return false;
  }
  return true;
}

std::vector<size_t> GridSampler::unvisited(const StudyView& study, bool include_running) const {
  std::vector<char> taken(n_points_, 0);
  for (const FrozenTrial& t : study.trials) {
    auto id = t.system_attrs.find(kGridIdKey);
    auto space = t.system_attrs.find(kSearchSpaceKey);
    if (id == t.system_attrs.end() || space == t.system_attrs.end() || !id->second.is_number_integer() ||
        !same_grid(space->second))
      continue;
    auto g = id->second.get<int64_t>();
    if (g < 0 || static_cast<size_t>(g) >= n_points_) continue;
    if (is_finished(t.state) || (t.state == TrialState::Running && !include_running)) taken[static_cast<size_t>(g)] = 1;
  }
  std::vector<size_t> free;
  for (size_t g = 0; g < n_points_; ++g)
    if (!taken[g]) free.push_back(g);
  return free;
}

void GridSampler::before_trial(const StudyView& study, FrozenTrial& trial) {
  if (trial.system_attrs.count(kGridIdKey) || trial.system_attrs.count(kFixedParamsKey)) return;
  std::vector<size_t> targets = unvisited(study, false);
  if (targets.empty()) targets = unvisited(study, true);  // only running ones left: share one
  if (targets.empty()) {                                   // exhausted: re-evaluate, as Optuna
    targets.resize(n_points_);
    for (size_t g = 0; g < n_points_; ++g) targets[g] = g;
  }
  Rng rng = Rng::for_trial(seed(), trial.number, "grid");
  const size_t id = targets[rng.index(targets.size())];
  nlohmann::json space = nlohmann::json::object();
  for (const auto& [name, values] : grid_) space[name] = values;
  trial.system_attrs[kSearchSpaceKey] = space;
  trial.system_attrs[kGridIdKey] = static_cast<int64_t>(id);
}

double GridSampler::sample_independent(const StudyView&, const FrozenTrial& trial, const std::string& name,
                                       const Distribution& distribution) {
  auto id = trial.system_attrs.find(kGridIdKey);
  if (id == trial.system_attrs.end())
    throw Error("grid sampler: trial " + std::to_string(trial.number) +
                " has no grid point; an enqueued trial must fix every parameter");
  if (!grid_.count(name)) throw Error("grid sampler: parameter '" + name + "' is not in the grid");
  const nlohmann::json value = point(static_cast<size_t>(id->second.get<int64_t>()))[name];
  return distribution.to_internal(value);
}

bool GridSampler::exhausted(const StudyView& study) const { return unvisited(study, true).empty(); }

}  // namespace pelagos::tune
