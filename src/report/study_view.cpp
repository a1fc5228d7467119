#include "report/study_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace pelagos::report {
namespace {

bool better(const StudySnapshot& s, double a, double b) {
  return s.direction == tune::StudyDirection::Maximize ? a > b : a < b;
}

}  // namespace

std::vector<HistoryPoint> optimisation_history(const StudySnapshot& study) {
  std::vector<tune::FrozenTrial> trials = study.trials;
  std::sort(trials.begin(), trials.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  std::vector<HistoryPoint> out;
  std::optional<double> best;
  for (const auto& t : trials) {
    const bool complete = t.state == tune::TrialState::Complete;
    if (!(complete || t.state == tune::TrialState::Pruned) || !t.value || !std::isfinite(*t.value)) continue;
    if (complete && (!best || better(study, *t.value, *best))) best = *t.value;
    HistoryPoint p;
    p.number = t.number;
    p.state = t.state;
    p.value = *t.value;
    p.best_so_far = best ? *best : std::nan("");
    out.push_back(p);
  }
  return out;
}

std::optional<tune::FrozenTrial> best_trial(const StudySnapshot& study) {
  std::optional<tune::FrozenTrial> best;
  for (const auto& t : study.trials)
    if (t.state == tune::TrialState::Complete && t.value && std::isfinite(*t.value) &&
        (!best || better(study, *t.value, *best->value)))
      best = t;
  return best;
}

std::string state_counts(const StudySnapshot& study) {
  std::map<int, int> counts;
  for (const auto& t : study.trials) counts[static_cast<int>(t.state)] += 1;
  std::vector<std::string> parts;
  for (const auto& [state, n] : counts)
    parts.push_back(fmt::format("{} {}", tune::to_string(static_cast<tune::TrialState>(state)), n));
  return parts.empty() ? "no trials" : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace pelagos::report
