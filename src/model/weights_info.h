// `pelagos weights info [PATH]`: where pelagos looks for VGGish weights, what
// it finds there, and whether the file passes the key/shape/dtype checks.
// The options struct is torch-free (the CLI fills it); the command runs in
// pelagos_torch, where the .pth reader lives.
#pragma once
#include <string>

namespace pelagos {

struct WeightsInfoOptions {
  std::string path;  // empty: the hub cache location
};

// Prints a report on stdout. Returns 0 when the weights are usable, 1 otherwise.
int run_weights_info(const WeightsInfoOptions& options);

}  // namespace pelagos
