#include "model/precision.h"

#include <ATen/autocast_mode.h>

#include <fmt/format.h>
#include <iostream>
#include <mutex>

#include "pelagos/error.h"

namespace pelagos {

Precision parse_precision(const std::string& name) {
  if (name == "float32" || name == "fp32") return Precision::Float32;
  if (name == "bfloat16" || name == "bf16") return Precision::BFloat16;
  throw Error(fmt::format("--precision {}: expected float32 or bfloat16 (bf16)", name));
}

const char* precision_name(Precision precision) {
  return precision == Precision::BFloat16 ? "bfloat16" : "float32";
}

bool cpu_has_native_bf16() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
#else
  return false;  // other CPUs: not known to this build, so the warning errs on the side of telling
#endif
}

PrecisionScope::PrecisionScope(Precision precision, torch::Device device)
    : cpu_enabled_(at::autocast::is_cpu_enabled()),
      gpu_enabled_(at::autocast::is_enabled()),
      cache_enabled_(at::autocast::is_autocast_cache_enabled()),
      cpu_dtype_(at::autocast::get_autocast_cpu_dtype()),
      gpu_dtype_(at::autocast::get_autocast_gpu_dtype()) {
  const bool on = precision == Precision::BFloat16;
  at::autocast::set_cpu_enabled(on && device.is_cpu());
  at::autocast::set_enabled(on && device.is_cuda());
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  // Autocast can keep bfloat16 copies of weights between ops; across optimizer
  // steps they would be stale. Each weight is used once per forward, so off.
  at::autocast::set_autocast_cache_enabled(false);
}

PrecisionScope::~PrecisionScope() {
  at::autocast::set_cpu_enabled(cpu_enabled_);
  at::autocast::set_enabled(gpu_enabled_);
  at::autocast::set_autocast_cpu_dtype(cpu_dtype_);
  at::autocast::set_autocast_gpu_dtype(gpu_dtype_);
  at::autocast::set_autocast_cache_enabled(cache_enabled_);
}

void warn_if_slow_precision(Precision precision, torch::Device device) {
  if (precision != Precision::BFloat16 || !device.is_cpu() || cpu_has_native_bf16()) return;
  static std::once_flag warned;
  std::call_once(warned, [] {
    std::cerr << "warning: --precision bfloat16 on a CPU without AVX512-BF16 or AMX: LibTorch emulates it, "
                 "which is slower than float32. Use --precision float32 here.\n";
  });
}

}  // namespace pelagos
