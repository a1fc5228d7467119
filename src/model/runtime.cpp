#include "model/runtime.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <fmt/format.h>
#include <thread>

#include "pelagos/error.h"
#include "util/cpu_count.h"

namespace pelagos {

void configure_threads(int threads) {
  torch::set_num_threads(available_threads(threads));
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
