// LibTorch process settings: thread count, allocator and device choice.
#pragma once
#include <string>

#include <torch/types.h>

namespace pelagos {

// threads <= 0 means all cores (LibTorch defaults to 1 on small VMs). The
// first call also checks the BLAS.
void configure_threads(int threads);
// glibc: large freed blocks stay in the process for reuse instead of being
// unmapped and faulted in again on the next batch. Called by the Trainer.
void keep_freed_tensor_memory();
// "auto" (CUDA when available), "cpu", "cuda" or "cuda:N". Throws pelagos::Error
// when CUDA is asked for but this LibTorch has none.
torch::Device resolve_device(const std::string& name);

}  // namespace pelagos
