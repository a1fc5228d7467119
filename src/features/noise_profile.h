// The CLI's way to set_noise_profile_from_file (pelagos/frontend.h) through the
// torch bridge: call_torch_command("noise_profile", &request). Torch-free.
#pragma once
#include <string>

#include "pelagos/frontend.h"

namespace pelagos {

struct NoiseProfileRequest {
  FrontendParams* params = nullptr;  // filled in place
  std::string noise_file;
};

int run_noise_profile(const NoiseProfileRequest& request);

}  // namespace pelagos
