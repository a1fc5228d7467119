// What the study part of a report plots, computed once for every renderer.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "pelagos/report.h"

namespace pelagos::report {

struct HistoryPoint {
  int number = 0;
  tune::TrialState state = tune::TrialState::Complete;
  double value = 0;
  double best_so_far = 0;  // over COMPLETE trials up to this one
};

// Trials with a value (complete, or pruned with a last intermediate value), in
// number order; best_so_far follows the study's direction.
std::vector<HistoryPoint> optimisation_history(const StudySnapshot& study);

// The best COMPLETE trial, if any.
std::optional<tune::FrozenTrial> best_trial(const StudySnapshot& study);

// "COMPLETE 6, PRUNED 2, FAIL 0, ..." with only the states present.
std::string state_counts(const StudySnapshot& study);

}  // namespace pelagos::report
