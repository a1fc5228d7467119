// Read-only access to the parts of a zip package (an .xlsx workbook), with
// limits checked before anything is inflated so a zip bomb cannot exhaust memory.
#pragma once
#include <cstdint>
#include <string>

struct zip;

namespace pelagos {

struct ZipLimits {
  static constexpr uint64_t kMaxPartBytes = 64ull << 20;  // a metadata sheet is far smaller
  static constexpr uint64_t kRatioCheckBytes = 1ull << 20;  // tiny parts may compress very well
  static constexpr uint64_t kMaxRatio = 200;                // XML deflates ~5-30x; bombs ~1000x
};

class ZipReader {
 public:
  explicit ZipReader(const std::string& path);  // throws pelagos::Error naming the file
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // OPC part names are case-insensitive; an exact match is preferred.
  bool has(const std::string& part) const;
  // The part's bytes; throws pelagos::Error naming the file and part when missing,
  // over the limits, or damaged.
  std::string read(const std::string& part) const;
  const std::string& path() const { return path_; }

 private:
  int64_t locate(const std::string& part) const;
  struct zip* zip_ = nullptr;
  std::string path_;
};

}  // namespace pelagos
