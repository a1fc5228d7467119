#include "model/vggish_pca.h"

#include <zip.h>

#include <cstring>
#include <fmt/format.h>
#include <map>

#include "model/pth_reader.h"
#include "pelagos/error.h"
#include "util/npy.h"

namespace pelagos {
namespace {

struct Array {
  std::vector<int64_t> shape;
  std::vector<double> values;
};

constexpr const char* kEigenVectors = "pca_eigen_vectors";
constexpr const char* kMeans = "pca_means";
constexpr zip_uint64_t kMaxNpyBytes = 16u << 20;  // the real arrays are 131 KB

std::map<std::string, Array> read_npz(const std::string& path) {
  int err = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!zip) throw Error(fmt::format("{}: cannot open as an .npz (zip) archive.", path));
  std::map<std::string, Array> out;
  for (const char* name : {kEigenVectors, kMeans}) {
    const std::string record = std::string(name) + ".npy";
    zip_stat_t st;
    if (zip_stat(zip, record.c_str(), 0, &st) != 0 || st.size > kMaxNpyBytes) continue;
    std::string bytes(st.size, '\0');
    zip_file_t* f = zip_fopen(zip, record.c_str(), 0);
    const zip_int64_t got = f ? zip_fread(f, bytes.data(), st.size) : -1;
    if (f) zip_fclose(f);
    if (got != static_cast<zip_int64_t>(st.size)) {
      zip_discard(zip);
      throw Error(fmt::format("{}: record {} is corrupt.", path, record));
    }
    NpyArray a;
    try {
      a = parse_npy(bytes, path + ":" + record);
    } catch (...) {
      zip_discard(zip);
      throw;
    }
    Array arr{a.shape, {}};
    if (a.dtype == "<f8") {  // Google's file: keep float64 for the TF-style post-processor
      arr.values.resize(static_cast<size_t>(a.numel()));
      std::memcpy(arr.values.data(), a.bytes.data(), arr.values.size() * sizeof(double));
    } else {
      const std::vector<float> f32 = a.to_float();
      arr.values.assign(f32.begin(), f32.end());
    }
    out[name] = std::move(arr);
  }
  zip_discard(zip);
  return out;
}

std::map<std::string, Array> read_torch(const std::string& path) {
  std::map<std::string, Array> out;
  for (const auto& [key, t] : read_pth(path).tensors) {
    const std::vector<float> f32 = t.to_float32();  // every released value is exact in float32
    out[key] = Array{t.shape, std::vector<double>(f32.begin(), f32.end())};
  }
  return out;
}

const Array& require(const std::map<std::string, Array>& arrays, const std::string& key, const std::string& path,
                     const std::vector<std::vector<int64_t>>& shapes) {
  auto it = arrays.find(key);
  if (it == arrays.end())
    throw Error(fmt::format("{}: no '{}' array; pass Google's vggish_pca_params.npz or torchvggish's "
                            "vggish_pca_params .pth with --pca.", path, key));
  for (const auto& s : shapes)
    if (it->second.shape == s) return it->second;
  throw Error(fmt::format("{}: '{}' has shape ({}), expected ({}).", path, key, fmt::join(it->second.shape, ", "),
                          fmt::join(shapes.front(), ", ")));
}

}  // namespace

PcaParams read_pca_params(const std::string& path) {
  const bool npz = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npz") == 0;
  const auto arrays = npz ? read_npz(path) : read_torch(path);
  PcaParams p;
  p.eigen_vectors = require(arrays, kEigenVectors, path, {{kPcaSize, kPcaSize}}).values;
  p.means = require(arrays, kMeans, path, {{kPcaSize}, {kPcaSize, 1}}).values;
  return p;
}

}  // namespace pelagos
