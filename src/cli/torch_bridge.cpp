// Opens pelagos_torch on demand (util/companion_library.h);
// PELAGOS_TORCH_LIBRARY overrides its path. When it is already linked into the
// process (the test binaries), its symbols are found without dlopen.
#include <fmt/format.h>

#include "cli/cli.h"
#include "pelagos/error.h"
#include "util/companion_library.h"

namespace pelagos::cli {

int call_torch_command(const std::string& command, const void* options) {
  using Entry = int (*)(const void*);
  void* fn = companion_symbol("libpelagos_torch.so", "PELAGOS_TORCH_LIBRARY", "the LibTorch part of pelagos",
                              "pelagos_torch_" + command);
  if (!fn) throw NotImplemented(fmt::format("`pelagos {}` in libpelagos_torch.so", command));
  return reinterpret_cast<Entry>(fn)(options);
}

}  // namespace pelagos::cli
