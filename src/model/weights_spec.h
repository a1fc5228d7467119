// Which VGGish weights a command should use: the --weights / --init / --seed
// flags. Torch-free so CLI option structs can hold it.
#pragma once
#include <cstdint>
#include <string>

namespace pelagos {

// File name of torchvggish's released weights, as PyTorch's hub caches it.
constexpr const char* kVGGishWeightsFile = "vggish-10086976.pth";
constexpr const char* kVGGishWeightsUrl =
    "https://github.com/harritaylor/torchvggish/releases/download/v0.1/vggish-10086976.pth";
constexpr const char* kVGGishWeightsSha256 = "10086976245803799d9194e9a73d9b6c1549c71d1b80106f5cade5608a561f4b";

struct WeightsSpec {
  std::string path;            // --weights; empty: look in the hub cache
  bool random_init = false;    // --init random
  uint64_t seed = 0;           // --seed, for random init
};

}  // namespace pelagos
