// The LibTorch half of `pelagos --version`: version, CPU or CUDA, and the BLAS
// really in use (LibTorch's build setting, plus the BLAS library the dynamic
// loader mapped: Debian's "generic" BLAS is whichever libblas.so.3 the
// alternatives system points to, e.g. OpenBLAS).
#include <ATen/Version.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "util/blas_check.h"
#include "util/build_info.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

std::string config_value(const std::string& config, const std::string& key) {
  const auto pos = config.find(key + "=");
  if (pos == std::string::npos) return "?";
  const auto start = pos + key.size() + 1;
  return config.substr(start, config.find_first_of(",\n", start) - start);
}

std::string blas_list() {
  const std::vector<std::string> libs = mapped_blas_libraries();
  return libs.empty() ? "none mapped" : fmt::format("{}", fmt::join(libs, ", "));
}

int torch_build_info(const TorchBuildInfoRequest& request) {
  const std::string config = at::show_config();
  const std::string device = torch::cuda::is_available()
                                 ? fmt::format("CUDA ({} device(s) visible)", torch::cuda::device_count())
                                 : config_value(config, "USE_CUDA") == "ON" ? "CUDA build, no GPU visible: CPU"
                                                                            : "CPU only (LibTorch built without CUDA)";
  *request.out = fmt::format("LibTorch {} ({}), {}; BLAS {} [{}]; LAPACK {}", TORCH_VERSION,
                             config_value(config, "CXX_COMPILER"), device, config_value(config, "BLAS_INFO"),
                             blas_list(), config_value(config, "LAPACK_INFO"));
  return 0;
}

}  // namespace
}  // namespace pelagos

PELAGOS_TORCH_COMMAND(torch_build_info, pelagos::TorchBuildInfoRequest, pelagos::torch_build_info)
