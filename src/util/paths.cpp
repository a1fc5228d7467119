#include "util/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace pelagos {
namespace {

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/tmp";
}

}  // namespace

std::string default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return (std::filesystem::path(xdg) / "pelagos").string();
  return (std::filesystem::path(home_dir()) / ".cache" / "pelagos").string();
}

std::string torch_hub_checkpoints_dir() {
  const char* torch_home = std::getenv("TORCH_HOME");
  std::filesystem::path base = torch_home && *torch_home
                                   ? std::filesystem::path(torch_home)
                                   : std::filesystem::path(home_dir()) / ".cache" / "torch";
  return (base / "hub" / "checkpoints").string();
}

std::string executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return exe.parent_path().string();
}

}  // namespace pelagos
