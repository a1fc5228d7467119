// Flags several commands share, declared once: the dataset layout (as
// load_dataset takes it), the frontend, and the base VGGish weights.
#pragma once
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "pelagos/dataset.h"
#include "pelagos/frontend.h"

namespace pelagos::cli {

// --data ROOT (required) --metadata --file-column --species-column --drop-unknown-species
void add_dataset_flags(CLI::App* cmd, DatasetOptions& options);

struct FrontendFlags {
  std::string frontend = "vggish";
  int patch_hop = 0;
  std::string short_clip = "pad";
  int channel = -1;
  FrontendParams params() const;  // validated
};
// --frontend --patch-hop --short --channel
void add_frontend_flags(CLI::App* cmd, FrontendFlags& flags);

struct WeightsFlags {
  std::string path;
  std::string init;  // "" or "random"
  uint64_t seed = 0;
};
// --weights PATH | --init random --seed S
void add_weights_flags(CLI::App* cmd, WeightsFlags& flags);

}  // namespace pelagos::cli
