// LibTorch process settings: thread count and device choice.
#pragma once
#include <string>

#include <torch/types.h>

namespace pelagos {

// threads <= 0 means all cores (LibTorch defaults to 1 on small VMs).
void configure_threads(int threads);
// "auto" (CUDA when available), "cpu", "cuda" or "cuda:N". Throws pelagos::Error
// when CUDA is asked for but this LibTorch has none.
torch::Device resolve_device(const std::string& name);

}  // namespace pelagos
