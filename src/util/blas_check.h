// Which BLAS the dynamic loader mapped into this process. LibTorch from Debian
// calls whatever libblas.so.3 the alternatives system points to; when that is
// the reference BLAS (not OpenBLAS), matrix products run ~25x slower, so the
// tensor commands warn once at start-up.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pelagos {

// Paths of the BLAS / MKL libraries in /proc/self/maps, sorted, unique.
std::vector<std::string> mapped_blas_libraries();

// The warning for `libraries` (as mapped_blas_libraries returns) when one is
// Debian's reference BLAS (.../blas/libblas.so.3) and none is an optimised one
// (OpenBLAS, BLIS, MKL); nothing otherwise.
std::optional<std::string> reference_blas_warning(const std::vector<std::string>& libraries);

}  // namespace pelagos
