// The project's 8-parameter search space (the original's hyperparameters),
// shared by the sampler tests and the benchmark: the one `pelagos tune` uses.
#pragma once
#include "train/search_space.h"

namespace pelagos::tune::test {

inline SearchSpace seed_space() { return original_search_space(); }

}  // namespace pelagos::tune::test
