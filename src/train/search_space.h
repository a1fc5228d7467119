// The classifier's search space: the original system's eight hyperparameters,
// and how a trial's parameters become TrainParams. Torch-free.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "pelagos/train.h"
#include "pelagos/tune/distribution.h"

namespace pelagos {

// num_hidden_layers int 1-5; neurons int 512-8192 step 512; epochs int 4-12 step 2;
// lr float 1e-5-1e-3 log; dropout float 0.1-0.5 step 0.1; batch_size {16, 32, 64};
// optimizer {Adam, SGD, RMSprop}; weight_decay float 1e-5-1e-3 log.
tune::SearchSpace original_search_space();

// `pelagos demo`'s small space (also examples/demo_space.json): heads of 1-2 layers
// of 128-512 units, 10-30 epochs, two batch sizes and optimizers.
tune::SearchSpace demo_search_space();

// A --space file: Optuna's distribution JSON per parameter. Every name must be a
// TrainParams key; throws pelagos::Error naming the file and the parameter.
tune::SearchSpace read_search_space(const std::string& path);

// `base` with the trial's parameters ({"name": external value}) laid over it, validated.
TrainParams params_for_trial(const TrainParams& base, const nlohmann::json& trial_params,
                             const std::string& source);

}  // namespace pelagos
