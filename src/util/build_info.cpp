#include "util/build_info.h"

#include <fmt/format.h>

#ifndef PELAGOS_GIT_COMMIT
#define PELAGOS_GIT_COMMIT "unknown"
#endif
#ifndef PELAGOS_COMPILER
#define PELAGOS_COMPILER "unknown compiler"
#endif
#ifndef PELAGOS_BUILD_TYPE
#define PELAGOS_BUILD_TYPE "unknown build type"
#endif

namespace pelagos {

std::string core_build_info() {
  return fmt::format("pelagos {} (commit {}, {}, {})", PELAGOS_VERSION, PELAGOS_GIT_COMMIT, PELAGOS_COMPILER,
                     PELAGOS_BUILD_TYPE);
}

}  // namespace pelagos
