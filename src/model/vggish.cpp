#include "model/vggish.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include <fmt/format.h>
#include <stdexcept>

#include "pelagos/error.h"

namespace pelagos {
namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}
torch::nn::MaxPool2d pool() { return torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)); }
torch::nn::ReLU relu() { return torch::nn::ReLU(); }

}  // namespace

VGGishImpl::VGGishImpl(bool with_embeddings) {
  features = register_module(
      "features", torch::nn::Sequential(conv3x3(1, 64), relu(), pool(),              // 0-2
                                        conv3x3(64, 128), relu(), pool(),            // 3-5
                                        conv3x3(128, 256), relu(), conv3x3(256, 256), relu(), pool(),  // 6-10
                                        conv3x3(256, 512), relu(), conv3x3(512, 512), relu(), pool()));  // 11-15
  if (!with_embeddings) return;
  embeddings = register_module(
      "embeddings", torch::nn::Sequential(torch::nn::Linear(kFeatureSize, 4096), relu(),
                                          torch::nn::Linear(4096, 4096), relu(),
                                          torch::nn::Linear(4096, 128), relu()));
}

torch::Tensor VGGishImpl::features_range(torch::Tensor x, int begin, int end) {
  if (begin == end) return x;
  // oneDNN's convolutions run ~40% faster on channels-last activations here
  // (bench/inference_bench.cpp); same values. Callers get the usual layout back.
  // A 1-channel input counts as channels-last already, with strides the kernels
  // do not take for it: restride explicitly.
  if (x.suggest_memory_format() != at::MemoryFormat::ChannelsLast)
    x = at::empty(x.sizes(), x.options().memory_format(at::MemoryFormat::ChannelsLast)).copy_(x);
  auto it = features->begin() + begin;
  for (int i = begin; i < end; ++i, ++it) x = it->forward(x);
  return x.contiguous();
}

torch::Tensor VGGishImpl::embed(torch::Tensor x) {
  if (!embeddings) throw std::logic_error("VGGish::embed on a network built without its embedding layers");
  x = conv_features(std::move(x));                    // (N, 512, 6, 4)
  x = x.permute({0, 2, 3, 1}).contiguous();           // channels-last, as TensorFlow flattened
  return embeddings->forward(x.view({x.size(0), kFeatureSize}));  // explicit: view(0, -1) is ambiguous
}

int first_trainable_module(int trainable_layers) {
  if (trainable_layers < 0 || trainable_layers > kFeatureModules)
    throw Error(fmt::format("--trainable-layers {}: expected 0 to {} (or 'all')", trainable_layers,
                            kFeatureModules));
  return kFeatureModules - trainable_layers;
}

}  // namespace pelagos
