// Options of `pelagos tune`, filled by the CLI (src/cli/cmd_tune.cpp) and run in
// pelagos_torch (tune_command.cpp). Torch-free.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/dataset.h"
#include "pelagos/frontend.h"
#include "pelagos/report.h"
#include "pelagos/train.h"
#include "pelagos/tune/distribution.h"
#include "pelagos/tune/pruner.h"
#include "train/augment_params.h"

namespace pelagos {

struct TuneCommandOptions {
  DatasetOptions dataset;
  FrontendParams frontend;
  TrainParams base_params;       // values of everything the search space leaves fixed
  AugmentParams base_augment;    // training-only augmentation the space leaves fixed
  tune::SearchSpace space;       // validated by read_search_space / params_for_trial
  std::string storage = "sqlite:///pelagos-study.db";
  std::string study_name = "pelagos";
  int trials = 20;               // the study's total, shared by every worker
  std::optional<double> timeout_s;
  std::string sampler = "tpe";
  std::string pruner = "none";
  tune::PrunerOptions pruner_options;  // --pruner-option KEY=VALUE (Optuna's argument names)
  std::optional<uint64_t> seed;
  std::string objective = "validate";  // or "test" (the original's leak; warns)
  bool enqueue_original_best = false;
  std::vector<nlohmann::json> enqueue;  // --enqueue: run first, skipped when the study already has them
  std::string enqueue_source;
  std::string out;               // best model bundle; empty: <study name>.best.pelagos
  std::string weights_path;
  bool random_init = false;
  uint64_t init_seed = 0;
  std::string cache_dir;
  int threads = 0;
  std::string device = "auto";
  std::string precision = "float32";  // float32 | bfloat16 (src/model/precision.h)
  double heartbeat_s = 30.0;
  bool quiet = false;
  // --jobs N: this process plus N-1 pelagos processes started with worker_args
  // (the same command line) share the study and the machine's threads.
  int jobs = 1;
  std::vector<std::string> worker_args;
  bool is_worker = false;        // a worker started by --jobs: no final summary or test score
};

int run_tune(const TuneCommandOptions& options);

// The best model: --out, else <study name>.best.pelagos. Beside it M.pelagos:
// M.report.html (HTML report of the study and the test evaluation) and
// M.test.json (evaluate's JSON of the test split).
inline std::string tune_model_path(const TuneCommandOptions& o) {
  return o.out.empty() ? o.study_name + ".best.pelagos" : o.out;
}
inline std::string tune_report_path(const TuneCommandOptions& o) { return model_stem(tune_model_path(o)) + ".report.html"; }
inline std::string tune_evaluation_path(const TuneCommandOptions& o) { return model_stem(tune_model_path(o)) + ".test.json"; }

}  // namespace pelagos
