// The VGGish network exactly as torchvggish builds it, so torchvggish
// state_dicts load key for key:
//   features.{0,3,6,8,11,13}.{weight,bias}   the six 3x3 convolutions
//   embeddings.{0,2,4}.{weight,bias}         Linear 12288->4096->4096->128
// features (indices as in the state_dict):
//   0 conv1 1->64, 1 ReLU, 2 pool1 | 3 conv2 64->128, 4 ReLU, 5 pool2 |
//   6 conv3_1 128->256, 7 ReLU, 8 conv3_2 256->256, 9 ReLU, 10 pool3 |
//   11 conv4_1 256->512, 12 ReLU, 13 conv4_2 512->512, 14 ReLU, 15 pool4
// embeddings: 0 Linear, 1 ReLU, 2 Linear, 3 ReLU, 4 Linear, 5 ReLU (torchvggish
// keeps the last ReLU). The embedding path flattens channels-last
// ((h*4 + w)*512 + c); the classifier head flattens channels-first (c*24 + h*4 + w).
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

namespace pelagos {

constexpr int kFeatureModules = 16;      // modules in `features`
constexpr int kFeatureSize = 512 * 6 * 4;  // 12288 conv features per patch

class VGGishImpl : public torch::nn::Module {
 public:
  // with_embeddings false leaves out the 128-d embedding layers (270 MB of
  // weights) for the classifier's uses, which read only the conv features.
  explicit VGGishImpl(bool with_embeddings = true);

  // Input (N, 1, 96, 64) log-mel patches. Applies features modules [begin, end).
  torch::Tensor features_range(torch::Tensor x, int begin, int end);
  // All conv modules: (N, 512, 6, 4).
  torch::Tensor conv_features(torch::Tensor x) { return features_range(std::move(x), 0, kFeatureModules); }
  // torchvggish VGG.forward: (N, 128) embeddings, non-negative. Needs the embedding layers.
  torch::Tensor embed(torch::Tensor x);

  torch::nn::Sequential features{nullptr};
  torch::nn::Sequential embeddings{nullptr};
};
TORCH_MODULE(VGGish);

// Index of the first fine-tuned module for --trainable-layers N (the last N of
// `features`): 5 -> 11 (conv4_1 onwards), 0 -> 16 (all frozen), 16 -> 0 (all).
int first_trainable_module(int trainable_layers);

}  // namespace pelagos
