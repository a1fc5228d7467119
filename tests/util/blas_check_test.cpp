// The reference-BLAS warning: given the libraries a process mapped, warn only
// when Debian's reference BLAS is the one in use.
#include <gtest/gtest.h>

#include "util/blas_check.h"

namespace pelagos {
namespace {

TEST(BlasCheck, WarnsOnTheReferenceBlasOnly) {
  const std::string reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0";
  const auto warning = reference_blas_warning({reference});
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find(reference), std::string::npos);
  EXPECT_NE(warning->find("libopenblas0-openmp"), std::string::npos);

  EXPECT_FALSE(reference_blas_warning({"/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3",
                                       "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so"}));
  // the reference libblas mapped beside OpenBLAS (another library pulled it in): OpenBLAS serves LibTorch
  EXPECT_FALSE(reference_blas_warning({reference, "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"}));
  EXPECT_FALSE(reference_blas_warning({}));
}

}  // namespace
}  // namespace pelagos
