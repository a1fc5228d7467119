// pelagos's optional parts live in shared libraries opened on first use, so a
// command that needs none of them starts without loading their dependencies:
// libpelagos_torch.so (LibTorch, ~290 libraries) and libpelagos_postgres.so
// (libpq with TLS/Kerberos/LDAP, ~30). They sit next to libpelagos_core.so or the
// executable (build tree), or in ../lib (install tree).
#pragma once
#include <string>

namespace pelagos {

// dlopen()s `file` (RTLD_NOW | RTLD_GLOBAL) from $`env_var` when set, else the
// places above, else the loader's search path; once per process. Throws Error
// listing every place tried, with `what` naming the part for the user.
void* open_companion_library(const std::string& file, const char* env_var, const std::string& what);

// A symbol of that library, or of the process itself when the library is
// already linked in (the test binaries). nullptr when neither has it.
void* companion_symbol(const std::string& file, const char* env_var, const std::string& what,
                       const std::string& symbol);

}  // namespace pelagos
