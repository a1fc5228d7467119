#include "util/system_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {

SystemLibrary::SystemLibrary(const char* soname, const char* missing)
    : soname_(soname), handle_(dlopen(soname, RTLD_NOW | RTLD_LOCAL)) {
  if (!handle_) throw Error(fmt::format(fmt::runtime(missing), dlerror()));
}

void* SystemLibrary::symbol(const char* name) const {
  void* p = dlsym(handle_, name);
  if (!p) throw Error(fmt::format("{} has no {}; it is too old for pelagos", soname_, name));
  return p;
}

}  // namespace pelagos
