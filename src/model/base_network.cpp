#include "model/base_network.h"


#include <filesystem>
#include <fmt/format.h>

#include "pelagos/error.h"
#include "model/weights.h"
#include "util/paths.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

BaseNetwork random_base(uint64_t seed) {
  BaseNetwork b;
  b.net = VGGish(/*with_embeddings=*/false);  // a classifier reads only the conv features
  init_vggish_random(b.net, seed);
  const std::string hash = features_sha256(b.net);
  b.provenance = {{"pretrained", false}, {"seed", seed}, {"features_sha256", hash}};
  b.identity = "random:" + hash;
  return b;
}

BaseNetwork pretrained_base(const std::string& path) {
  BaseNetwork b;
  b.net = VGGish(/*with_embeddings=*/false);  // a classifier reads only the conv features
  const WeightsProvenance w = load_vggish_weights(b.net, path);
  b.provenance = {{"pretrained", true},
                  {"file", std::filesystem::path(w.path).filename().string()},
                  {"path", std::filesystem::absolute(w.path).string()},
                  {"sha256", w.sha256}};
  b.identity = "file:" + w.sha256;
  return b;
}

}  // namespace

std::string features_sha256(VGGish& net) {
  Sha256 h;
  for (const auto& item : net->features->named_parameters()) {
    torch::Tensor t = item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
    h.update(item.key());
    for (int64_t d : t.sizes()) h.update(fmt::format(",{}", d));
    h.update(t.data_ptr(), t.numel() * sizeof(float));
  }
  return h.hex_digest();
}

std::string BaseNetwork::describe() const {
  if (provenance.value("pretrained", false))
    return fmt::format("pretrained VGGish weights {} (sha256 {})", provenance.value("path", std::string()),
                       provenance.value("sha256", std::string()));
  return fmt::format("random init (seed {}), NOT pretrained", provenance.value("seed", uint64_t(0)));
}

BaseNetwork make_base_network(const BaseWeightsChoice& choice) {
  if (choice.random_init) {
    if (!choice.path.empty()) throw Error("--weights and --init random exclude each other: pass one of them.");
    return random_base(choice.seed);
  }
  return pretrained_base(resolve_weights_path(choice.path));
}

BaseNetwork restore_base_network(const nlohmann::json& provenance, const std::string& weights_override,
                                 const std::string& bundle_path) {
  if (!provenance.is_object() || !provenance.contains("pretrained"))
    throw Error(fmt::format("{}: the model records no base weights; it is damaged or not a pelagos model.",
                            bundle_path));
  if (!provenance["pretrained"].get<bool>()) {
    BaseNetwork b = random_base(provenance.at("seed").get<uint64_t>());
    if (b.provenance["features_sha256"] != provenance.at("features_sha256"))
      throw Error(fmt::format(
          "{}: regenerating the random VGGish weights (seed {}) gave different weights than at training time "
          "(another LibTorch version?). Retrain the model with this pelagos build.",
          bundle_path, provenance["seed"].dump()));
    return b;
  }
  const std::string expected = provenance.value("sha256", std::string());
  const std::string file = provenance.value("file", std::string(kVGGishWeightsFile));
  std::string path = weights_override.empty() ? provenance.value("path", std::string()) : weights_override;
  // A model moved to another machine finds its weights in the hub cache, as training did.
  if (weights_override.empty() && !std::filesystem::exists(path)) {
    const std::string hub = (std::filesystem::path(torch_hub_checkpoints_dir()) / file).string();
    if (std::filesystem::exists(hub)) path = hub;
  }
  if (path.empty() || !std::filesystem::exists(path))
    throw Error(fmt::format("{}: this model needs the VGGish weights file {} (sha256 {}), not found{}. "
                            "Pass --weights PATH.",
                            bundle_path, file, expected,
                            path.empty() ? "" : " at " + path));
  const std::string actual = sha256_file(path);
  if (actual != expected)
    throw Error(fmt::format("{}: the model was trained on VGGish weights with sha256 {}, but {} has sha256 {}. "
                            "Pass --weights with the file the model was trained on.",
                            bundle_path, expected, path, actual));
  return pretrained_base(path);
}

}  // namespace pelagos
