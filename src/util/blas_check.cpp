#include "util/blas_check.h"

#include <fmt/format.h>

#include <fstream>
#include <set>

namespace pelagos {

std::vector<std::string> mapped_blas_libraries() {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> libs;
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = path.substr(path.rfind('/') + 1);
    if (name.find("blas") != std::string::npos || name.find("blis") != std::string::npos ||
        name.find("mkl_core") != std::string::npos)
      libs.insert(path);
  }
  return {libs.begin(), libs.end()};
}

std::optional<std::string> reference_blas_warning(const std::vector<std::string>& libraries) {
  std::string reference;
  for (const std::string& path : libraries) {
    for (const char* fast : {"openblas", "blis", "mkl"})
      if (path.find(fast) != std::string::npos) return std::nullopt;
    if (path.find("/blas/libblas.so") != std::string::npos) reference = path;
  }
  if (reference.empty()) return std::nullopt;
  return fmt::format(
      "warning: LibTorch is using the reference BLAS ({}); matrix products will run ~25x slower. "
      "Install an optimised one: apt-get install libopenblas0-openmp (or select it with "
      "update-alternatives --config libblas.so.3-x86_64-linux-gnu).",
      reference);
}

}  // namespace pelagos
