// NumPy .npy files (format 1.0/2.0), little-endian, C order: what `pelagos
// features` and `embed` write and what the reference fixtures are.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pelagos {

struct NpyArray {
  std::string dtype;             // numpy descr, e.g. "<f4", "<f8", "|u1", "<i8"
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;    // raw little-endian data, C order

  int64_t numel() const;
  size_t item_size() const;
  // Converts any float/int dtype to float32 (copy).
  std::vector<float> to_float() const;
};

NpyArray read_npy(const std::string& path);  // throws pelagos::Error naming the file
NpyArray parse_npy(const std::string& bytes, const std::string& what);
std::string encode_npy(const NpyArray& array);
// The magic, version and header of a format 1.0 file (data follows), padded to 64 bytes.
std::string npy_header(const std::string& dtype, const std::vector<int64_t>& shape);
// Atomic write of float32 data with the given shape.
void write_npy(const std::string& path, const float* data, const std::vector<int64_t>& shape);
void write_npy(const std::string& path, const NpyArray& array);

}  // namespace pelagos
