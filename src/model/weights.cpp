#include "model/weights.h"

#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "model/pth_reader.h"
#include "pelagos/error.h"
#include "util/paths.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

c10::ScalarType to_scalar_type(RawDType dtype) {
  switch (dtype) {
    case RawDType::Float32: return torch::kFloat32;
    case RawDType::Float64: return torch::kFloat64;
    case RawDType::Float16: return torch::kFloat16;
    case RawDType::BFloat16: return torch::kBFloat16;
    case RawDType::Int64: return torch::kInt64;
    case RawDType::Int32: return torch::kInt32;
    case RawDType::Int16: return torch::kInt16;
    case RawDType::Int8: return torch::kInt8;
    case RawDType::UInt8: return torch::kUInt8;
    case RawDType::Bool: return torch::kBool;
  }
  return torch::kFloat32;
}

bool is_float(RawDType dtype) {
  return dtype == RawDType::Float32 || dtype == RawDType::Float64 || dtype == RawDType::Float16 ||
         dtype == RawDType::BFloat16;
}

// A view of the raw storage bytes (no copy); the caller copies out of it.
torch::Tensor view_of(const RawTensor& t) {
  auto storage = torch::from_blob(t.storage->bytes.data(), {t.storage->numel},
                                  torch::TensorOptions().dtype(to_scalar_type(t.dtype)));
  return storage.as_strided(t.shape, t.strides, t.storage_offset);
}

}  // namespace

std::string WeightsProvenance::describe() const {
  if (!pretrained) return fmt::format("random init (seed {}), NOT pretrained", seed);
  return fmt::format("pretrained VGGish weights from {} ({} format, sha256 {})", path, format, sha256);
}

const std::vector<std::pair<std::string, std::vector<int64_t>>>& vggish_weight_keys() {
  static const std::vector<std::pair<std::string, std::vector<int64_t>>> keys = [] {
    struct Layer {
      const char* name;
      std::vector<int64_t> weight;
    };
    const std::vector<Layer> layers{
        {"features.0", {64, 1, 3, 3}},     {"features.3", {128, 64, 3, 3}},
        {"features.6", {256, 128, 3, 3}},  {"features.8", {256, 256, 3, 3}},
        {"features.11", {512, 256, 3, 3}}, {"features.13", {512, 512, 3, 3}},
        {"embeddings.0", {4096, kFeatureSize}}, {"embeddings.2", {4096, 4096}},
        {"embeddings.4", {128, 4096}},
    };
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    for (const auto& l : layers) {
      out.emplace_back(std::string(l.name) + ".weight", l.weight);
      out.emplace_back(std::string(l.name) + ".bias", std::vector<int64_t>{l.weight[0]});
    }
    return out;
  }();
  return keys;
}

std::vector<std::string> check_vggish_state_dict(const RawStateDict& tensors, const std::string& path) {
  std::vector<std::string> notes;
  std::map<std::string, const RawTensor*> found;
  std::vector<std::string> ignored;
  for (const auto& [key, t] : tensors) {
    if (key.rfind("pproc.", 0) == 0) {
      ignored.push_back(key);
      continue;
    }
    found[key] = &t;
  }
  if (!ignored.empty())
    notes.push_back(fmt::format("ignored {} (PCA post-processing values; pelagos reads PCA parameters from "
                                "--pca)", fmt::join(ignored, ", ")));
  for (const auto& [key, shape] : vggish_weight_keys()) {
    auto it = found.find(key);
    if (it == found.end())
      throw Error(fmt::format("{}: key '{}' is missing; a VGGish state_dict needs all 18 keys "
                              "features.{{0,3,6,8,11,13}}.{{weight,bias}} and embeddings.{{0,2,4}}.{{weight,bias}}. "
                              "Is this torchvggish's vggish-10086976.pth?", path, key));
    const RawTensor& t = *it->second;
    if (t.shape != shape)
      throw Error(fmt::format("{}: key '{}' has shape {}, expected {}.", path, key, t.shape_string(),
                              shape_string(shape)));
    if (!is_float(t.dtype))
      throw Error(fmt::format("{}: key '{}' holds {} values, expected float32.", path, key, raw_dtype_name(t.dtype)));
    if (t.dtype != RawDType::Float32)
      notes.push_back(fmt::format("converted '{}' from {} to float32", key, raw_dtype_name(t.dtype)));
    found.erase(it);
  }
  if (!found.empty()) {
    std::vector<std::string> extra;
    for (const auto& kv : found) extra.push_back(kv.first);
    throw Error(fmt::format("{}: unexpected key(s) {}; this is not a torchvggish VGGish state_dict "
                            "(expected only the 18 features.* / embeddings.* keys).", path, fmt::join(extra, ", ")));
  }
  return notes;
}

std::string resolve_weights_path(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) {
    if (!fs::is_regular_file(explicit_path))
      throw Error(fmt::format("--weights {}: no such file.", explicit_path));
    return explicit_path;
  }
  const fs::path cached = fs::path(torch_hub_checkpoints_dir()) / kVGGishWeightsFile;
  if (fs::is_regular_file(cached)) return cached.string();
  throw Error(fmt::format("no VGGish weights found: looked for {} (PyTorch's hub cache; set TORCH_HOME to move "
                          "it). Run `pelagos weights fetch` to download them, pass --weights PATH, or use "
                          "--init random --seed S for an untrained (NOT pretrained) extractor.", cached.string()));
}

std::vector<std::string> apply_vggish_state_dict(VGGish& model, const RawStateDict& tensors, const std::string& path) {
  std::vector<std::string> notes = check_vggish_state_dict(tensors, path);
  std::map<std::string, const RawTensor*> by_key;
  for (const auto& [key, t] : tensors) by_key[key] = &t;
  torch::NoGradGuard no_grad;
  for (auto& param : model->named_parameters()) {
    auto it = by_key.find(param.key());
    if (it == by_key.end()) throw Error(fmt::format("{}: key '{}' is missing.", path, param.key()));
    param.value().copy_(view_of(*it->second));  // copy_ converts the dtype
  }
  return notes;
}

WeightsProvenance load_vggish_weights(VGGish& model, const std::string& path) {
  PthContents contents = read_pth(path);
  WeightsProvenance p;
  p.pretrained = true;
  p.path = path;
  p.format = pth_format_name(contents.format);
  p.notes = apply_vggish_state_dict(model, contents.tensors, path);
  p.sha256 = sha256_file(path);
  return p;
}

WeightsProvenance init_vggish_random(VGGish& model, uint64_t seed) {
  torch::manual_seed(seed);
  for (const auto& m : model->modules(/*include_self=*/false)) {
    if (auto* conv = m->as<torch::nn::Conv2dImpl>()) conv->reset_parameters();
    else if (auto* linear = m->as<torch::nn::LinearImpl>()) linear->reset_parameters();
  }
  WeightsProvenance p;
  p.pretrained = false;
  p.seed = seed;
  return p;
}

WeightsProvenance prepare_vggish(VGGish& model, const WeightsSpec& spec) {
  if (spec.random_init) {
    if (!spec.path.empty())
      throw Error("--weights and --init random exclude each other: pass one of them.");
    return init_vggish_random(model, spec.seed);
  }
  return load_vggish_weights(model, resolve_weights_path(spec.path));
}

}  // namespace pelagos
