// Options of `pelagos evaluate`, filled by the CLI (src/cli/cmd_evaluate.cpp)
// and run in pelagos_torch (evaluate_command.cpp). Torch-free.
#pragma once
#include <string>

#include "pelagos/dataset.h"

namespace pelagos {

struct EvaluateCommandOptions {
  std::string model;
  std::string weights_path;  // overrides the base weights path the model recorded
  DatasetOptions dataset;    // splits = {split}
  std::string split = "test";
  std::string json_out;      // empty: none
  std::string csv_out;       // empty: none
  std::string cache_dir;
  int threads = 0;
  std::string device = "auto";
  bool quiet = false;
};

int run_evaluate(const EvaluateCommandOptions& options);

}  // namespace pelagos
