// Opens pelagos_torch on demand. The library sits next to the executable (build
// tree) or in ../lib (install tree); PELAGOS_TORCH_LIBRARY overrides the path.
// When it is already linked into the process (the test binaries), its symbols
// are found without dlopen.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

#include "cli/cli.h"
#include "pelagos/error.h"
#include "util/paths.h"

namespace pelagos::cli {
namespace {

void* open_torch_library() {
  static void* handle = [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("PELAGOS_TORCH_LIBRARY")) candidates.emplace_back(env);
    std::filesystem::path exe_dir(executable_dir());
    candidates.push_back((exe_dir / "libpelagos_torch.so").string());
    candidates.push_back((exe_dir / ".." / "lib" / "libpelagos_torch.so").string());
    candidates.emplace_back("libpelagos_torch.so");
    std::string errors;
    for (const auto& path : candidates) {
      if (path.find('/') != std::string::npos && !std::filesystem::exists(path)) continue;
      if (void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL)) return h;
      const char* err = dlerror();
      errors += fmt::format("\n  {}: {}", path, err ? err : "unknown error");
    }
    throw Error(fmt::format("cannot load the LibTorch part of pelagos (libpelagos_torch.so).{}\n"
                            "Run scripts/setup.sh, or set PELAGOS_TORCH_LIBRARY to the library's path.",
                            errors));
    return static_cast<void*>(nullptr);
  }();
  return handle;
}

}  // namespace

int call_torch_command(const std::string& command, const void* options) {
  using Entry = int (*)(const void*);
  const std::string symbol = "pelagos_torch_" + command;
  void* fn = dlsym(RTLD_DEFAULT, symbol.c_str());
  if (!fn) fn = dlsym(open_torch_library(), symbol.c_str());
  if (!fn) throw NotImplemented(fmt::format("`pelagos {}` in libpelagos_torch.so", command));
  return reinterpret_cast<Entry>(fn)(options);
}

}  // namespace pelagos::cli
