// The classifier's search space: the original system's eight hyperparameters,
// and how a trial's parameters become TrainParams. Torch-free.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/frontend.h"
#include "pelagos/train.h"
#include "pelagos/tune/distribution.h"
#include "train/augment_params.h"

namespace pelagos {

// num_hidden_layers int 1-5; neurons int 512-8192 step 512; epochs int 4-12 step 2;
// lr float 1e-5-1e-3 log; dropout float 0.1-0.5 step 0.1; batch_size {16, 32, 64};
// optimizer {Adam, SGD, RMSprop}; weight_decay float 1e-5-1e-3 log.
tune::SearchSpace original_search_space();

// What one trial trains with: a study may tune training, augmentation and denoising.
struct TrialConfig {
  TrainParams train;
  AugmentParams augment;
  FrontendParams frontend;
};

// `pelagos demo`'s small space (also examples/demo_space.json): heads of 1-2 layers
// of 128-512 units, 10-30 epochs, two batch sizes and optimizers.
tune::SearchSpace demo_search_space();

// A --space file: Optuna's distribution JSON per parameter. Every name must be a
// TrainParams, AugmentParams or denoise key, and both ends of every range valid
// laid over `base` (the study's fixed settings); throws pelagos::Error naming the file and the parameter.
tune::SearchSpace read_search_space(const std::string& path, const TrialConfig& base = {});

// `base` with the trial's parameters ({"name": external value}) laid over it, validated.
// Names route by owner: AugmentParams keys (mixup_alpha, specaugment_p, ...) to augment;
// "denoise" (true/false or "off"/"spectral-gate") and denoise_* to the frontend; the rest to train.
TrialConfig params_for_trial(const TrialConfig& base, const nlohmann::json& trial_params, const std::string& source);

// A --enqueue file: one {"name": value, ...} object or a list of them, trials to
// run first (Optuna's enqueue_trial). Names must be in `space` and values inside
// its ranges; names left out are sampled. Throws pelagos::Error naming the file,
// the entry and the parameter.
std::vector<nlohmann::json> read_enqueued_trials(const std::string& path, const tune::SearchSpace& space,
                                                 const TrialConfig& base = {});

}  // namespace pelagos
