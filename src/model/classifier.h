// The species classifier of the original system: the fine-tuned tail of the
// VGGish conv stack, then k x (Linear -> LayerNorm -> ReLU -> Dropout), then
// Linear -> classes. The frozen prefix (features modules before the tail) is
// not part of it: it is computed once per dataset and cached (prefix_features.h).
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "model/vggish.h"
#include "pelagos/train.h"

namespace pelagos {

// Random: LibTorch's initialisation, drawn from its global generator (seed it
// first). Unwritten: the head's memory is reserved but never written, for
// weights that a saved model replaces at once (a 1 x 4608 head is 226 MB;
// initialising it would make it resident twice while a model loads).
enum class HeadInit { Random, Unwritten };

class ClassifierImpl : public torch::nn::Module {
 public:
  // Clones features modules [first_trainable_module(params.trainable_layers), 16)
  // of `base` as the tail, so the base stays untouched for the next trial.
  ClassifierImpl(VGGish& base, const TrainParams& params, int num_classes, HeadInit init = HeadInit::Random);

  // prefix_output: output of features modules [0, first_trainable) -> (N, classes) logits.
  torch::Tensor forward(torch::Tensor prefix_output);

  int first_trainable() const { return first_trainable_; }
  int num_classes() const { return num_classes_; }

  torch::nn::Sequential tail{nullptr};  // empty when trainable_layers = 0
  torch::nn::Sequential head{nullptr};

 private:
  int first_trainable_;
  int num_classes_;
};
TORCH_MODULE(Classifier);

// Frozen prefix + classifier: logits from raw (N, 1, 96, 64) patches.
torch::Tensor classify_patches(VGGish& base, Classifier& classifier, const torch::Tensor& patches);

}  // namespace pelagos
