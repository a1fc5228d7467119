// What `pelagos --version` prints: pelagos' version, git commit, compiler and
// build type (recorded by CMake at configure time), plus the LibTorch part,
// asked of pelagos_torch at run time (see src/model/torch_build_info.cpp), so
// only --version pays for loading LibTorch.
#pragma once
#include <string>

namespace pelagos {

// "pelagos 0.1.0 (commit abc1234, GCC 12.2.0, RelWithDebInfo)".
std::string core_build_info();

// Filled by pelagos_torch's "torch_build_info" command.
struct TorchBuildInfoRequest {
  std::string* out = nullptr;  // "LibTorch 1.13.0, CPU only (no CUDA in this LibTorch), BLAS ..."
};

}  // namespace pelagos
