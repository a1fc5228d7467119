// A model bundle's metadata for torch-free callers (`pelagos report --model`):
// the bundle is a LibTorch archive, so reading it goes through pelagos_torch
// ("bundle_info" command, src/model/bundle_info_command.cpp).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace pelagos {

struct BundleInfoRequest {
  std::string path;
  nlohmann::json* out = nullptr;  // receives BundleInfo::to_json()
};

}  // namespace pelagos
