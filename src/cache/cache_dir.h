// The pelagos cache folder as a whole (--cache-dir): creating it, measuring it
// and clearing it. The folder is tagged with a standard CACHEDIR.TAG
// (https://bford.info/cachedir/) so backup tools skip it, and so `cache clear`
// only ever empties a folder pelagos created.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace pelagos {

// Creates the folder (and its CACHEDIR.TAG) when missing. Throws pelagos::Error when it cannot.
void prepare_cache_dir(const std::string& cache_dir);

struct CacheUsage {
  struct Kind {
    int64_t entries = 0;
    int64_t bytes = 0;
  };
  bool exists = false;
  bool tagged = false;              // has pelagos's CACHEDIR.TAG
  std::map<std::string, Kind> kinds;  // by top-level subfolder, e.g. "features"
  int64_t entries() const;
  int64_t bytes() const;
};

CacheUsage cache_usage(const std::string& cache_dir);

// Removes every entry; the tagged folder itself stays. Throws pelagos::Error when the
// folder holds files but no CACHEDIR.TAG (it is then not a pelagos cache).
CacheUsage clear_cache(const std::string& cache_dir);

}  // namespace pelagos
