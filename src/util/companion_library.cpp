#include "util/companion_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <vector>

#include "pelagos/error.h"
#include "util/paths.h"

namespace pelagos {
namespace {

// The folder of libpelagos_core.so itself.
std::filesystem::path core_library_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&open_companion_library), &info) == 0 || !info.dli_fname) return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

}  // namespace

void* open_companion_library(const std::string& file, const char* env_var, const std::string& what) {
  static std::mutex mutex;
  static std::map<std::string, void*> opened;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = opened.find(file); it != opened.end()) return it->second;

  std::vector<std::string> candidates;
  if (const char* env = std::getenv(env_var); env && *env) candidates.emplace_back(env);
  for (const std::filesystem::path& dir : {core_library_dir(), std::filesystem::path(executable_dir())}) {
    if (dir.empty()) continue;
    candidates.push_back((dir / file).string());
    candidates.push_back((dir / ".." / "lib" / file).string());
  }
  candidates.push_back(file);
  std::string errors;
  for (const auto& path : candidates) {
    if (path.find('/') != std::string::npos && !std::filesystem::exists(path)) continue;
    if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL)) return opened[file] = handle;
    const char* err = dlerror();
    errors += fmt::format("\n  {}: {}", path, err ? err : "unknown error");
  }
  throw Error(fmt::format("cannot load {} ({}).{}\nRun scripts/setup.sh, or set {} to the library's path.", what,
                          file, errors, env_var));
}

void* companion_symbol(const std::string& file, const char* env_var, const std::string& what,
                       const std::string& symbol) {
  if (void* fn = dlsym(RTLD_DEFAULT, symbol.c_str())) return fn;
  return dlsym(open_companion_library(file, env_var, what), symbol.c_str());
}

}  // namespace pelagos
