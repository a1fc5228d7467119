#include "model/raw_tensor.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>

#include "pelagos/error.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

float half_to_float(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  float value;
  if (exponent == 0) value = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal
  else if (exponent == 31) value = mantissa ? NAN : INFINITY;
  else value = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return sign ? -value : value;
}

float bfloat16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;  // bfloat16 is the top half of a float32
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

float element_as_float(RawDType dtype, const uint8_t* p) {
  switch (dtype) {
    case RawDType::Float32: return load<float>(p);
    case RawDType::Float64: return static_cast<float>(load<double>(p));
    case RawDType::Float16: return half_to_float(load<uint16_t>(p));
    case RawDType::BFloat16: return bfloat16_to_float(load<uint16_t>(p));
    case RawDType::Int64: return static_cast<float>(load<int64_t>(p));
    case RawDType::Int32: return static_cast<float>(load<int32_t>(p));
    case RawDType::Int16: return static_cast<float>(load<int16_t>(p));
    case RawDType::Int8: return static_cast<float>(load<int8_t>(p));
    case RawDType::UInt8: return static_cast<float>(load<uint8_t>(p));
    case RawDType::Bool: return *p ? 1.0f : 0.0f;
  }
  return 0.0f;
}

}  // namespace

size_t raw_dtype_size(RawDType dtype) {
  switch (dtype) {
    case RawDType::Float64: case RawDType::Int64: return 8;
    case RawDType::Float32: case RawDType::Int32: return 4;
    case RawDType::Float16: case RawDType::BFloat16: case RawDType::Int16: return 2;
    case RawDType::Int8: case RawDType::UInt8: case RawDType::Bool: return 1;
  }
  return 1;
}

const char* raw_dtype_name(RawDType dtype) {
  switch (dtype) {
    case RawDType::Float32: return "float32";
    case RawDType::Float64: return "float64";
    case RawDType::Float16: return "float16";
    case RawDType::BFloat16: return "bfloat16";
    case RawDType::Int64: return "int64";
    case RawDType::Int32: return "int32";
    case RawDType::Int16: return "int16";
    case RawDType::Int8: return "int8";
    case RawDType::UInt8: return "uint8";
    case RawDType::Bool: return "bool";
  }
  return "?";
}

int64_t RawTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

bool RawTensor::is_contiguous() const {
  int64_t expected = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] != 1 && strides[d] != expected) return false;
    expected *= shape[d];
  }
  return true;
}

std::string content_sha256(const RawStateDict& tensors) {
  Sha256 h;
  for (const auto& [key, t] : tensors) {
    const std::vector<float> values = t.to_float32();
    h.update(key);
    h.update(t.shape_string());
    h.update(values.data(), values.size() * sizeof(float));
  }
  return h.hex_digest();
}

std::string RawTensor::shape_string() const { return pelagos::shape_string(shape); }

std::vector<float> RawTensor::to_float32() const {
  if (!storage || storage->bytes.size() != static_cast<size_t>(storage->numel) * raw_dtype_size(dtype))
    throw Error("tensor storage is not loaded");
  const int64_t n = numel();
  std::vector<float> out(static_cast<size_t>(n));
  if (dtype == RawDType::Float32 && is_contiguous()) {  // the common case: one copy
    if (n > 0) std::memcpy(out.data(), storage->bytes.data() + storage_offset * 4, static_cast<size_t>(n) * 4);
    return out;
  }
  const size_t item = raw_dtype_size(dtype);
  std::vector<int64_t> index(shape.size(), 0);  // walks the shape in C order
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = storage_offset;
    for (size_t d = 0; d < shape.size(); ++d) offset += index[d] * strides[d];
    out[static_cast<size_t>(i)] = element_as_float(dtype, storage->bytes.data() + offset * static_cast<int64_t>(item));
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

}  // namespace pelagos
