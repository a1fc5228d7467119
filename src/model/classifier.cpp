#include "model/classifier.h"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/activation.h>
#include <torch/utils.h>

namespace pelagos {
namespace {

torch::nn::Linear make_linear(int64_t in, int64_t out, HeadInit init) {
  if (init == HeadInit::Random) return torch::nn::Linear(in, out);
  torch::nn::Linear layer(1, 1);  // initialises a 1 x 1 weight, then takes the real shape
  layer->options.in_features(in).out_features(out);
  torch::NoGradGuard no_grad;
  layer->weight.set_data(torch::empty({out, in}));
  layer->bias.set_data(torch::empty({out}));
  return layer;
}

}  // namespace

ClassifierImpl::ClassifierImpl(VGGish& base, const TrainParams& params, int num_classes, HeadInit init)
    : first_trainable_(first_trainable_module(params.trainable_layers)), num_classes_(num_classes) {
  torch::nn::Sequential t;
  auto it = base->features->begin() + first_trainable_;
  for (int i = first_trainable_; i < kFeatureModules; ++i, ++it) t->push_back(it->clone());
  tail = register_module("tail", t);

  torch::nn::Sequential h;
  int64_t in = kFeatureSize;
  for (int layer = 0; layer < params.num_hidden_layers; ++layer) {
    h->push_back(make_linear(in, params.neurons, init));
    h->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({params.neurons})));
    h->push_back(torch::nn::ReLU());
    h->push_back(torch::nn::Dropout(params.dropout));
    in = params.neurons;
  }
  h->push_back(make_linear(in, num_classes, init));
  head = register_module("head", h);
}

torch::Tensor ClassifierImpl::forward(torch::Tensor prefix_output) {
  torch::Tensor x = tail->is_empty() ? std::move(prefix_output) : tail->forward(prefix_output);
  x = x.flatten(1);  // channels-first, as the original's x.view(N, -1)
  for (auto& layer : *head) {
    // LibTorch 1.13's CPU LayerNorm needs its input in its weights' dtype;
    // under bfloat16 autocast the Linear before it hands it bfloat16.
    if (auto* norm = layer.ptr()->as<torch::nn::LayerNorm>()) x = x.to(norm->weight.scalar_type());
    x = layer.forward(x);
  }
  return x.to(torch::kFloat32);  // float32 logits also under autocast
}

torch::Tensor classify_patches(VGGish& base, Classifier& classifier, const torch::Tensor& patches) {
  torch::Tensor prefix;
  {
    torch::NoGradGuard no_grad;
    prefix = base->features_range(patches, 0, classifier->first_trainable());
  }
  return classifier->forward(prefix);
}

}  // namespace pelagos
