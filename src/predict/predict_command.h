// Options of `pelagos predict`, filled by the CLI (src/cli/cmd_predict.cpp) and
// run in pelagos_torch (predict_command.cpp). Torch-free.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

struct PredictCommandOptions {
  std::string model;
  std::string weights_path;         // overrides the base weights path the model recorded
  std::vector<std::string> files;   // expanded from the inputs
  double window_s = 0;              // 0: one patch
  double hop_s = 0;                 // 0: the window
  std::string format = "csv";       // csv | raven
  double min_score = 0;
  std::string out;                  // empty: stdout
  int threads = 0;
  std::string device = "auto";
  std::string precision = "float32";  // float32 | bfloat16 (src/model/precision.h)
  bool quiet = false;
};

// Returns 1 when some inputs could not be read (they are listed on stderr).
int run_predict(const PredictCommandOptions& options);

}  // namespace pelagos
