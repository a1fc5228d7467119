// Arithmetic precision of the network's convolutions and matrix products.
// float32 (the default) computes what the Python reference computes. bfloat16
// runs them through LibTorch's autocast: about twice the throughput on CPUs
// with AVX512-BF16 or AMX (and on recent GPUs) at ~3 significant digits per
// product. Weights, optimizer state, losses and everything cached on disk stay
// float32, so a bfloat16 run reads and writes the same files.
#pragma once
#include <string>

#include <torch/types.h>

namespace pelagos {

enum class Precision { Float32, BFloat16 };

// "float32" (or "fp32"), "bfloat16" (or "bf16"); throws pelagos::Error naming --precision.
Precision parse_precision(const std::string& name);
const char* precision_name(Precision precision);

// AVX512-BF16 or AMX-BF16: without them oneDNN emulates bfloat16, slower than float32.
bool cpu_has_native_bf16();

// While alive, the forward passes on this thread run in `precision` on
// `device` (autocast on or off); the previous state comes back on exit, so a
// float32 scope inside a bfloat16 one (the shared prefix cache) works.
class PrecisionScope {
 public:
  PrecisionScope(Precision precision, torch::Device device);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  bool cpu_enabled_, gpu_enabled_, cache_enabled_;
  at::ScalarType cpu_dtype_, gpu_dtype_;
};

// Prints once to stderr when bfloat16 is asked for on a CPU that would emulate it.
void warn_if_slow_precision(Precision precision, torch::Device device);

}  // namespace pelagos
