// `pelagos embed`: one 128-d VGGish embedding per patch (0.96 s with the VGGish
// frontend) for each input recording, with file and start/end times. Each file
// is streamed (decode -> resample -> patches -> network) in chunks, so memory
// does not grow with its length. Options are torch-free (the CLI fills them);
// the command runs in pelagos_torch.
#pragma once
#include <string>
#include <vector>

#include "model/weights_spec.h"

namespace pelagos {

struct EmbedOptions {
  std::vector<std::string> inputs;
  std::string out;
  std::string format = "npy";  // npy | csv
  bool postprocess = false;    // PCA + uint8 quantisation (torchvggish)
  std::string pca_path;        // required with postprocess
  WeightsSpec weights;
  std::string frontend = "vggish";  // vggish | seed
  int batch_size = 64;         // patches per forward pass
  double chunk_seconds = 60.0; // audio decoded per step
  int threads = 0;
  std::string device = "auto";
  bool quiet = false;
};

// Returns 0; throws pelagos::Error on bad input.
int run_embed(const EmbedOptions& options);

}  // namespace pelagos
