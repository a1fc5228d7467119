// Options of `pelagos features`, filled by the CLI (src/cli/cmd_features.cpp)
// and run in pelagos_torch (features_command.cpp). Torch-free.
#pragma once
#include <string>
#include <vector>

#include "pelagos/frontend.h"

namespace pelagos {

struct FeaturesCommandOptions {
  std::vector<std::string> files;  // audio files, already expanded from the inputs
  FrontendParams params;           // validated
  std::string out_npy;
  std::string index_csv;           // empty: no index
  std::string cache_dir;           // empty: no caching
  int threads = 0;
  bool quiet = false;
  bool verbose = false;
};

int run_features(const FeaturesCommandOptions& options);

}  // namespace pelagos
