// Optuna's PercentilePruner; its MedianPruner is PercentilePruner(50.0).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/tune/pruner.h"

namespace pelagos::tune {
namespace {

// The step is the first report at or after the latest pruning check point.
bool first_in_interval(const FrozenTrial& trial, int64_t step, int64_t warmup, int64_t interval) {
  const int64_t check_point = (step - warmup) / interval * interval + warmup;
  int64_t second_last = -1;
  for (const auto& [s, v] : trial.intermediate_values)
    if (s != step) second_last = std::max(second_last, s);
  return second_last < check_point;
}

// np.nanpercentile with linear interpolation.
double nan_percentile(std::vector<double> values, double percentile) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const double rank = percentile / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (rank - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace

void MedianPrunerParams::validate() const {
  auto fail = [](const std::string& what) { throw Error("median/percentile pruner: " + what); };
  if (n_startup_trials < 0) fail(fmt::format("n_startup_trials must be >= 0 (got {})", n_startup_trials));
  if (n_warmup_steps < 0) fail(fmt::format("n_warmup_steps must be >= 0 (got {})", n_warmup_steps));
  if (interval_steps < 1) fail(fmt::format("interval_steps must be >= 1 (got {})", interval_steps));
  if (n_min_trials < 1) fail(fmt::format("n_min_trials must be >= 1 (got {})", n_min_trials));
}

PercentilePruner::PercentilePruner(double percentile, MedianPrunerParams params)
    : percentile_(percentile), params_(params) {
  if (!(percentile >= 0.0 && percentile <= 100.0))
    throw Error(fmt::format("percentile pruner: percentile must be between 0 and 100 (got {})", percentile));
  params_.validate();
}

bool PercentilePruner::prune(const StudyView& study, FrozenTrial& trial) {
  int n_completed = 0;
  for (const FrozenTrial& t : study.trials) n_completed += t.state == TrialState::Complete;
  if (n_completed == 0 || n_completed < params_.n_startup_trials) return false;
  const auto step = trial.last_step();
  if (!step || *step < params_.n_warmup_steps) return false;
  if (!first_in_interval(trial, *step, params_.n_warmup_steps, params_.interval_steps)) return false;

  const bool maximize = study.direction == StudyDirection::Maximize;
  double best = NAN;
  for (const auto& [s, v] : trial.intermediate_values)
    if (!std::isnan(v) && (std::isnan(best) || (maximize ? v > best : v < best))) best = v;
  if (std::isnan(best)) return true;

  std::vector<double> at_step;
  for (const FrozenTrial& t : study.trials) {
    if (t.state != TrialState::Complete) continue;
    auto it = t.intermediate_values.find(*step);
    if (it != t.intermediate_values.end()) at_step.push_back(it->second);
  }
  if (static_cast<int>(at_step.size()) < params_.n_min_trials) return false;
  const double p = nan_percentile(at_step, maximize ? 100.0 - percentile_ : percentile_);
  if (std::isnan(p)) return false;
  return maximize ? best < p : best > p;
}

}  // namespace pelagos::tune
