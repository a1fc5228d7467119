// A trained model in one file (a LibTorch archive, written atomically): the
// trained modules' weights (fine-tuned conv tail + head), the label list, the
// frontend and training parameters, where the base weights came from, metrics,
// and the pelagos and bundle format versions. The frozen prefix is not stored:
// loading rebuilds it from the recorded base weights and verifies them.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/base_network.h"
#include "model/classifier.h"
#include "pelagos/frontend.h"
#include "pelagos/train.h"
#include "train/augment_params.h"

namespace pelagos {

// Bumped when a bundle's layout changes; older pelagos refuses newer bundles.
constexpr int kBundleFormatVersion = 1;

struct BundleInfo {
  std::vector<std::string> labels;
  FrontendParams frontend;
  TrainParams params;
  AugmentParams augment;        // how training was augmented (record only; prediction never augments)
  nlohmann::json base_weights;  // BaseNetwork::provenance
  nlohmann::json metrics = nlohmann::json::object();
  std::string pelagos_version = PELAGOS_VERSION;
  int format_version = kBundleFormatVersion;

  nlohmann::json to_json() const;
};

void save_bundle(const std::string& path, const BundleInfo& info, Classifier& classifier);

// Metadata only (no weights, no base network): for `inspect` and error messages.
BundleInfo read_bundle_info(const std::string& path);

struct LoadedModel {
  BundleInfo info;
  BaseNetwork base;
  Classifier classifier{nullptr};
};

// Throws pelagos::Error for files that are not bundles, bundles from a newer
// format, weights whose names or shapes do not fit, and missing or different
// base weights (weights_override replaces the recorded weights path).
LoadedModel load_bundle(const std::string& path, const std::string& weights_override = "");

}  // namespace pelagos
