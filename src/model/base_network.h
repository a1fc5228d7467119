// The VGGish network a classifier starts from, with the record of where its
// weights came from. A model bundle stores only the trained modules; loading it
// rebuilds this base and checks it is the same one (same file sha256, or the
// same random init, verified by a hash of the regenerated features weights).
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/vggish.h"

namespace pelagos {

struct BaseWeightsChoice {
  std::string path;          // --weights; empty: the hub cache's vggish-10086976.pth
  bool random_init = false;  // --init random
  uint64_t seed = 0;         // --seed for random init
};

struct BaseNetwork {
  VGGish net{nullptr};
  // {"pretrained": true, "file": name, "path": path, "sha256": ...} or
  // {"pretrained": false, "seed": S, "features_sha256": ...}
  nlohmann::json provenance;
  std::string identity;  // names the weights in cache keys
  std::string describe() const;
};

BaseNetwork make_base_network(const BaseWeightsChoice& choice);

// Rebuilds the base a bundle recorded. `weights_override` replaces the recorded
// path of pretrained weights. Throws pelagos::Error saying which file is needed
// when it is missing or its sha256 differs, or when random init does not
// regenerate the recorded weights.
BaseNetwork restore_base_network(const nlohmann::json& provenance, const std::string& weights_override,
                                 const std::string& bundle_path);

// sha256 over the features modules' parameters (names, shapes, float32 bytes).
std::string features_sha256(VGGish& net);

}  // namespace pelagos
