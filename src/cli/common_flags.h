// Flags several commands share, declared once: the dataset layout (as
// load_dataset takes it), the frontend, and the base VGGish weights.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/dataset_flags.h"
#include "pelagos/dataset.h"
#include "pelagos/frontend.h"
#include "train/augment_params.h"

namespace pelagos::cli {


struct FrontendFlags {
  std::string frontend = "vggish";
  int patch_hop = 0;
  std::string short_clip = "pad";
  int channel = -1;
  std::string resampler = "auto";
  std::string denoise = "off";
  std::string noise_file;
  std::map<std::string, double> denoise_values;  // FrontendParams denoise_* field -> value
  // Validated; with --noise-file the noise profile is measured (loads LibTorch).
  FrontendParams params() const;
};
// --frontend --patch-hop --short --channel --resampler --denoise --noise-file --denoise-*
void add_frontend_flags(CLI::App* cmd, FrontendFlags& flags);

struct AugmentFlags {
  std::string file;                      // --augment FILE.json
  std::map<std::string, nlohmann::json> values;  // per-field flags, laid over the file
  std::string noise_dir;
  uint64_t seed = 0;
  bool seed_set = false;
  AugmentParams params() const;  // validated
};
// --augment FILE.json, --augment-seed, and one flag per AugmentParams field (--mixup-p, --specaugment-p, ...)
void add_augment_flags(CLI::App* cmd, AugmentFlags& flags);

// --device auto|cpu|cuda[:N] and --precision float32|bfloat16, for the commands that run the network.
void add_device_flags(CLI::App* cmd, std::string& device, std::string& precision);

struct WeightsFlags {
  std::string path;
  std::string init;  // "" or "random"
  uint64_t seed = 0;
};
// --weights PATH | --init random --seed S
void add_weights_flags(CLI::App* cmd, WeightsFlags& flags);

}  // namespace pelagos::cli
