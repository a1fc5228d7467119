// Tensors as read from a torch.save file, before any LibTorch object exists:
// dtype, shape, strides and offset into a shared storage. Views of one storage
// share the same RawStorage, as they do in PyTorch. Torch-free on purpose, so
// the readers that produce these can be fuzzed without LibTorch.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pelagos {

enum class RawDType { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

size_t raw_dtype_size(RawDType dtype);
const char* raw_dtype_name(RawDType dtype);  // "float32", "int64", ...

struct RawStorage {
  RawDType dtype = RawDType::Float32;
  int64_t numel = 0;           // elements, as declared by the file
  std::vector<uint8_t> bytes;  // numel * itemsize little-endian bytes once loaded
};

struct RawTensor {
  RawDType dtype = RawDType::Float32;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;  // in elements
  int64_t storage_offset = 0;    // in elements
  std::shared_ptr<RawStorage> storage;

  int64_t numel() const;
  bool is_contiguous() const;  // C order, no gaps
  // "(4096, 12288)" style, as Python prints a torch.Size tuple.
  std::string shape_string() const;
  // Element values in logical (C) order, converted to float32. Needs a loaded storage.
  std::vector<float> to_float32() const;
};

// Insertion-ordered, as a Python OrderedDict state_dict.
using RawStateDict = std::vector<std::pair<std::string, RawTensor>>;

std::string shape_string(const std::vector<int64_t>& shape);

// Identity of the values, independent of the container format: sha256 over,
// for each tensor in order, its key, its shape string and its float32 bytes.
std::string content_sha256(const RawStateDict& tensors);

}  // namespace pelagos
