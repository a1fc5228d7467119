// Hyperparameter importance over a study's finished trials: a first-order
// (main-effect) variance decomposition, the part of fANOVA that needs no
// surrogate model. For each parameter the completed trials are grouped by its
// value (categorical: per choice; numeric: min(5, n/2) equal-count bins on the
// parameter's own scale, log for log distributions), and its importance is the
// share of the objective's variance explained by the groups, as epsilon^2
// (eta^2 corrected for the number of groups: 1 - (SSwithin/(n-k)) / (SStotal/(n-1)),
// at least 0), so a parameter is not credited for splitting few trials finely.
// Interactions are not separated out; shares are normalised to sum to 1 for
// display while the raw epsilon^2 stays available.
#pragma once
#include <string>
#include <vector>

#include "pelagos/tune/trial.h"

namespace pelagos::report {

struct ParamImportance {
  std::string name;
  double epsilon_squared = 0;  // in [0, 1]
  double share = 0;            // epsilon_squared / sum over parameters
  int groups = 0;          // value groups the trials fell into
};

// Sorted by importance, largest first. Empty when fewer than 3 completed
// trials have a value or all values are equal (nothing to explain).
std::vector<ParamImportance> param_importance(const std::vector<tune::FrozenTrial>& trials);

}  // namespace pelagos::report
