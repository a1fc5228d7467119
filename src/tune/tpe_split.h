// TPE's ranking of the study's history (Optuna's _get_observation_pairs and
// _split_observation_pairs): the best gamma(n) trials are "below", the rest
// "above".
#pragma once
#include <vector>

#include "pelagos/tune/sampler.h"

namespace pelagos::tune {

struct TPESplit {
  std::vector<size_t> below, above;  // indices into study.trials, chronological
  int n = 0;                         // finished trials (COMPLETE or PRUNED) among them
};

// Completed trials rank by value, then pruned trials by the last step they
// reached (deeper first) and the value there, then pruned trials without
// reports; with constant_liar, the other RUNNING trials come last.
TPESplit split_trials(const StudyView& study, const FrozenTrial& current, const TPEParams& params);

}  // namespace pelagos::tune
