// Options of `pelagos train`, filled by the CLI (src/cli/cmd_train.cpp) and run
// in pelagos_torch (train_command.cpp). Torch-free.
#pragma once
#include <cstdint>
#include <string>

#include "pelagos/dataset.h"
#include "pelagos/frontend.h"
#include "pelagos/train.h"
#include "train/augment_params.h"

namespace pelagos {

struct TrainCommandOptions {
  DatasetOptions dataset;
  FrontendParams frontend;   // validated
  TrainParams params;        // validated (params.json + flags)
  AugmentParams augment;     // training batches only
  std::string weights_path;  // --weights
  bool random_init = false;  // --init random
  uint64_t init_seed = 0;    // --seed
  std::string out;           // model bundle
  std::string json_out;      // --json: training metrics (per epoch, examples/s) as JSON
  std::string cache_dir;     // empty: no feature / prefix cache on disk
  int threads = 0;
  std::string device = "auto";
  std::string precision = "float32";  // float32 | bfloat16 (src/model/precision.h)
  bool detect_anomaly = false;
  bool quiet = false;
};

int run_train(const TrainCommandOptions& options);

}  // namespace pelagos
