#include "model/runtime.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <fmt/format.h>
#include <iostream>
#include <mutex>
#include <thread>

#include "pelagos/error.h"
#include "util/blas_check.h"
#include "util/cpu_count.h"

namespace pelagos {

void configure_threads(int threads) {
  torch::set_num_threads(available_threads(threads));
  // Every tensor command passes here first: the one place to check the BLAS.
  static std::once_flag checked;
  std::call_once(checked, [] {
    if (const auto warning = reference_blas_warning(mapped_blas_libraries())) std::cerr << *warning << "\n";
  });
}

torch::Device resolve_device(const std::string& name) {
  if (name == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      throw Error(fmt::format("--device {}: this pelagos was built with a LibTorch that has no usable CUDA "
                              "device. Use --device cpu, or build against a CUDA LibTorch (README).", name));
    return torch::Device(name);
  }
  throw Error(fmt::format("--device {}: expected auto, cpu, cuda or cuda:N", name));
}

}  // namespace pelagos
