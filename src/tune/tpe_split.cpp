#include "tune/tpe_split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace pelagos::tune {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Optuna's ranking key: completed trials by value, then pruned trials by the
// last step they reached (deeper is better) and the value there, then pruned
// trials without reports, then (constant liar) running trials as the worst.
struct Score {
  double step_key;
  double value;
  bool operator<(const Score& o) const {
    return step_key < o.step_key || (step_key == o.step_key && value < o.value);
  }
};

}  // namespace

TPESplit split_trials(const StudyView& study, const FrozenTrial& current, const TPEParams& params) {
  const double sign = study.direction == StudyDirection::Minimize ? 1.0 : -1.0;
  std::vector<size_t> index;
  std::vector<Score> scores;
  for (size_t i = 0; i < study.trials.size(); ++i) {
    const FrozenTrial& t = study.trials[i];
    Score s{0.0, 0.0};
    if (t.state == TrialState::Complete) {
      if (!t.value) continue;
      s = {-kInf, sign * *t.value};
    } else if (t.state == TrialState::Pruned) {
      if (auto step = t.last_step()) {
        double v = t.intermediate_values.at(*step);
        s = {-static_cast<double>(*step), std::isnan(v) ? kInf : sign * v};
      } else {
        s = {1.0, 0.0};
      }
    } else if (t.state == TrialState::Running && params.constant_liar && t.number != current.number) {
      s = {kInf, kInf};
    } else {
      continue;
    }
    index.push_back(i);
    scores.push_back(s);
  }
  TPESplit split;
  for (const Score& s : scores) split.n += s.step_key < kInf;
  const auto n_below = static_cast<size_t>(std::max(0, params.gamma(split.n)));
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  for (size_t r = 0; r < order.size(); ++r) (r < n_below ? split.below : split.above).push_back(index[order[r]]);
  std::sort(split.below.begin(), split.below.end());
  std::sort(split.above.begin(), split.above.end());
  return split;
}

}  // namespace pelagos::tune
