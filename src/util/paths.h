// Where pelagos keeps things on disk by default.
#pragma once
#include <string>

namespace pelagos {

// $XDG_CACHE_HOME/pelagos, else ~/.cache/pelagos.
std::string default_cache_dir();
// $TORCH_HOME/hub/checkpoints, else ~/.cache/torch/hub/checkpoints (PyTorch's hub cache).
std::string torch_hub_checkpoints_dir();
// Folder of the running executable (from /proc/self/exe).
std::string executable_dir();

}  // namespace pelagos
