#include "model/runtime.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <fmt/format.h>
#include <cstdlib>
#include <iostream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <mutex>
#include <thread>

#include "pelagos/error.h"
#include "util/blas_check.h"
#include "util/cpu_count.h"

namespace pelagos {

void keep_freed_tensor_memory() {
#if defined(__GLIBC__)
  // glibc maps every block over 32 MB afresh and returns freed heap to the
  // system: a training step then faults in and zeroes its large buffers (the
  // head's gradient, autocast's bfloat16 weight copies) every time, 20-33% of
  // a trial's time. Reusing them makes epochs 1.3-1.6x faster
  // (BENCHMARKS.md). 512 MB covers the largest head the search space builds
  // (12288 x 8192 weights, 403 MB). Inference keeps glibc's defaults: little
  // gain there, and its peak memory matters more. Users' own MALLOC_* settings win.
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, 512 << 20);
  if (!std::getenv("MALLOC_TRIM_THRESHOLD_")) mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

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
