// Builds a zip archive in memory (libzip), deflated, with fixed timestamps so
// the same entries always give the same bytes.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace pelagos {

struct ZipEntry {
  std::string name;
  std::string data;
};

// Entries are stored in the given order. Throws pelagos::Error when libzip fails.
std::string zip_bytes(const std::vector<ZipEntry>& entries);

}  // namespace pelagos
