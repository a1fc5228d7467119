// Optuna's SuccessiveHalvingPruner (asynchronous successive halving). Each
// rung a trial passes is recorded as its "completed_rung_<r>" system attr,
// which is what the other trials compete against.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/tune/pruner.h"

namespace pelagos::tune {
namespace {

std::string rung_key(int rung) { return "completed_rung_" + std::to_string(rung); }

int current_rung(const FrozenTrial& trial) {
  int rung = 0;
  while (trial.system_attrs.count(rung_key(rung))) ++rung;
  return rung;
}

std::optional<int64_t> estimate_min_resource(const std::vector<FrozenTrial>& trials) {
  std::optional<int64_t> last;
  for (const FrozenTrial& t : trials)
    if (t.state == TrialState::Complete)
      if (auto s = t.last_step()) last = std::max(last.value_or(*s), *s);
  if (!last) return std::nullopt;
  return std::max<int64_t>(*last / 100, 1);
}

bool promotable(double value, std::vector<double> competing, int reduction_factor, StudyDirection direction) {
  auto idx = static_cast<long>(competing.size()) / reduction_factor - 1;
  if (idx == -1) idx = 0;
  std::sort(competing.begin(), competing.end());
  if (direction == StudyDirection::Maximize) return value >= competing[competing.size() - 1 - static_cast<size_t>(idx)];
  return value <= competing[static_cast<size_t>(idx)];
}

int64_t int_pow(int64_t base, int exp) {
  int64_t r = 1;
  for (int i = 0; i < exp; ++i) r *= base;
  return r;
}

}  // namespace

void SuccessiveHalvingParams::validate() const {
  auto fail = [](const std::string& what) { throw Error("successive halving pruner: " + what); };
  if (min_resource && *min_resource < 1) fail(fmt::format("min_resource must be >= 1 or auto (got {})", *min_resource));
  if (reduction_factor < 2) fail(fmt::format("reduction_factor must be >= 2 (got {})", reduction_factor));
  if (min_early_stopping_rate < 0)
    fail(fmt::format("min_early_stopping_rate must be >= 0 (got {})", min_early_stopping_rate));
  if (bootstrap_count < 0) fail(fmt::format("bootstrap_count must be >= 0 (got {})", bootstrap_count));
  if (bootstrap_count > 0 && !min_resource) fail("bootstrap_count > 0 needs an explicit min_resource, not auto");
}

SuccessiveHalvingPruner::SuccessiveHalvingPruner(SuccessiveHalvingParams params)
    : params_(params), min_resource_(params.min_resource) {
  params_.validate();
}

bool SuccessiveHalvingPruner::prune(const StudyView& study, FrozenTrial& trial) {
  const auto step = trial.last_step();
  if (!step) return false;
  int rung = current_rung(trial);
  const double value = trial.intermediate_values.at(*step);
  while (true) {
    if (!min_resource_) {
      min_resource_ = estimate_min_resource(study.trials);
      if (!min_resource_) return false;
    }
    const int64_t promotion_step =
        *min_resource_ * int_pow(params_.reduction_factor, params_.min_early_stopping_rate + rung);
    if (*step < promotion_step) return false;
    if (std::isnan(value)) return true;

    const std::string key = rung_key(rung);
    trial.system_attrs[key] = value;
    std::vector<double> competing;
    for (const FrozenTrial& t : study.trials) {
      if (t.number == trial.number) continue;  // the trial's own value is added below
      auto it = t.system_attrs.find(key);
      if (it != t.system_attrs.end() && it->second.is_number()) competing.push_back(it->second.get<double>());
    }
    competing.push_back(value);
    if (static_cast<int>(competing.size()) <= params_.bootstrap_count) return true;
    if (!promotable(value, competing, params_.reduction_factor, study.direction)) return true;
    ++rung;
  }
}

}  // namespace pelagos::tune
