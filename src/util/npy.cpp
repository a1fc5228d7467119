#include "util/npy.h"

#include <cstring>
#include <fmt/format.h>
#include <regex>

#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {

int64_t NpyArray::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

size_t NpyArray::item_size() const {
  if (dtype.size() < 3) return 0;
  return static_cast<size_t>(std::stoi(dtype.substr(2)));
}

std::vector<float> NpyArray::to_float() const {
  const int64_t n = numel();
  std::vector<float> out(static_cast<size_t>(n));
  auto load = [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, bytes.data() + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
      out[static_cast<size_t>(i)] = static_cast<float>(v);
    }
  };
  if (dtype == "<f4") load(float{});
  else if (dtype == "<f8") load(double{});
  else if (dtype == "|u1") load(uint8_t{});
  else if (dtype == "<i8") load(int64_t{});
  else if (dtype == "<i4") load(int32_t{});
  else throw Error(fmt::format("npy dtype {} cannot be converted to float32", dtype));
  return out;
}

namespace {

// numpy writes transposed views (e.g. x.T) Fortran-ordered; callers always get C order.
std::vector<uint8_t> fortran_to_c_order(const std::vector<uint8_t>& in, const std::vector<int64_t>& shape,
                                        size_t item) {
  std::vector<uint8_t> out(in.size());
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<int64_t> index(shape.size(), 0);  // walks C order
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0, stride = 1;
    for (size_t d = 0; d < shape.size(); ++d) {  // Fortran: first axis varies fastest
      src += index[d] * stride;
      stride *= shape[d];
    }
    std::memcpy(out.data() + static_cast<size_t>(i) * item, in.data() + static_cast<size_t>(src) * item, item);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

}  // namespace

NpyArray parse_npy(const std::string& b, const std::string& what) {
  if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0)
    throw Error(fmt::format("{}: not a NumPy .npy file (bad magic)", what));
  const int major = static_cast<unsigned char>(b[6]);
  size_t header_len, offset;
  if (major == 1) {
    header_len = static_cast<unsigned char>(b[8]) | (static_cast<size_t>(static_cast<unsigned char>(b[9])) << 8);
    offset = 10;
  } else {
    if (b.size() < 12) throw Error(fmt::format("{}: truncated .npy header", what));
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    offset = 12;
  }
  if (offset + header_len > b.size()) throw Error(fmt::format("{}: truncated .npy header", what));
  std::string header = b.substr(offset, header_len);
  std::smatch m;
  NpyArray a;
  if (!std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")))
    throw Error(fmt::format("{}: .npy header has no descr", what));
  a.dtype = m[1];
  const bool fortran = std::regex_search(header, m, std::regex("'fortran_order':\\s*True"));
  if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
    throw Error(fmt::format("{}: .npy header has no shape", what));
  std::string dims = m[1];
  std::regex num("\\d+");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator(); ++it)
    a.shape.push_back(std::stoll(it->str()));
  size_t data_offset = offset + header_len;
  size_t expected = static_cast<size_t>(a.numel()) * a.item_size();
  if (b.size() - data_offset < expected)
    throw Error(fmt::format("{}: .npy data truncated ({} of {} bytes)", what, b.size() - data_offset, expected));
  a.bytes.assign(b.begin() + static_cast<std::ptrdiff_t>(data_offset),
                 b.begin() + static_cast<std::ptrdiff_t>(data_offset + expected));
  if (fortran) a.bytes = fortran_to_c_order(a.bytes, a.shape, a.item_size());
  return a;
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string npy_header(const std::string& dtype, const std::vector<int64_t>& shape_dims) {
  std::string shape;
  for (size_t i = 0; i < shape_dims.size(); ++i) shape += fmt::format("{}, ", shape_dims[i]);
  if (shape_dims.size() > 1) shape.resize(shape.size() - 2);
  else if (shape_dims.size() == 1) shape.resize(shape.size() - 1);
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", dtype, shape);
  // Pad with spaces so data starts on a 64-byte boundary; the header ends in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  return out;
}

std::string encode_npy(const NpyArray& a) {
  std::string out = npy_header(a.dtype, a.shape);
  out.append(reinterpret_cast<const char*>(a.bytes.data()), a.bytes.size());
  return out;
}

void write_npy(const std::string& path, const NpyArray& array) { write_file_atomic(path, encode_npy(array)); }

void write_npy(const std::string& path, const float* data, const std::vector<int64_t>& shape) {
  NpyArray a;
  a.dtype = "<f4";
  a.shape = shape;
  const size_t n = static_cast<size_t>(a.numel());
  a.bytes.resize(n * sizeof(float));
  if (n) std::memcpy(a.bytes.data(), data, n * sizeof(float));
  write_npy(path, a);
}

}  // namespace pelagos
