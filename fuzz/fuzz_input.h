// Shared by the fuzz targets: the readers take paths, so each input is handed
// over as an in-memory file (memfd) named /proc/self/fd/N, and only
// pelagos::Error (a clear refusal) may escape; anything else is a finding.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "pelagos/error.h"

namespace pelagos::fuzz {

class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) : fd_(memfd_create("pelagos-fuzz", 0)) {
    if (fd_ < 0 || (size > 0 && ::write(fd_, data, size) != static_cast<ssize_t>(size))) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { close(fd_); }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

// Runs `f`; a pelagos::Error is an accepted outcome, any other exception aborts (a finding).
template <typename F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "non-pelagos exception escaped: %s\n", e.what());
    std::abort();
  }
}

}  // namespace pelagos::fuzz
