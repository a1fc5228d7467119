// Trains a Classifier on patches: cross-entropy (optionally class-balanced),
// Adam/SGD/RMSprop with PyTorch semantics, seeded shuffling. Same seed and
// same thread count give bit-identical results. Validation accuracy is measured
// per clip after every epoch and passed to an optional callback that can stop
// training (the tuning engine reports and prunes through it).
#pragma once
#include <functional>
#include <iosfwd>
#include <memory>
#include <vector>

#include <torch/types.h>

#include "model/classifier.h"
#include "model/precision.h"
#include "train/augment_params.h"
#include "train/clip_decisions.h"
#include "train/patch_set.h"

namespace pelagos {

class Optimizer;

// One split as the trainer sees it: its clips, and the frozen prefix's output for
// every patch (PrefixCache). Without `prefix` the prefix is recomputed per batch.
struct SplitInputs {
  const PatchSet* clips = nullptr;
  torch::Tensor prefix;
};

struct TrainerOptions {
  torch::Device device = torch::kCPU;
  // bfloat16: conv4 and the head train and validate under autocast (src/model/precision.h).
  Precision precision = Precision::Float32;
  bool detect_anomaly = false;
  // When set: a progress bar over the epochs (src/util/progress.h) named
  // progress_task, and with --verbose one line per epoch on this stream.
  std::ostream* progress = nullptr;
  std::string progress_task = "training";
  // Called after every epoch with the validation clip accuracy (NaN without a
  // validation split); returning false stops training.
  std::function<bool(int epoch, double val_acc)> on_epoch;
  int64_t eval_batch = 128;
  // Applied to training batches only (fit), never in patch_logits/decide.
  AugmentParams augment;
};

struct EpochStats {
  int epoch = 0;
  double loss = 0;       // mean cross-entropy over the epoch's patches
  double train_acc = 0;  // patch accuracy while training
  double val_acc = 0;    // clip accuracy on the validation split (NaN without one)
  double seconds = 0;    // training time (without validation)
  double validate_seconds = 0;  // the validation pass after the epoch (0 without a validation split)
  double examples_per_s = 0;
};

struct TrainResult {
  std::vector<EpochStats> epochs;
  bool stopped = false;  // the callback asked to stop
  double train_seconds = 0;
  int64_t train_examples = 0;
};

class Trainer {
 public:
  // Builds the classifier from `base` (seeding LibTorch with params.seed first).
  Trainer(VGGish base, const TrainParams& params, int num_classes, TrainerOptions options = {});
  ~Trainer();

  TrainResult fit(const SplitInputs& train, const SplitInputs* validate = nullptr);
  // Epoch e trains on variants[(e - 1) % size]: the split, then its raw-audio augmented copies.
  TrainResult fit(const std::vector<SplitInputs>& variants, const SplitInputs* validate = nullptr);

  // Evaluation mode, no autograd: (N, classes) patch logits on the CPU.
  torch::Tensor patch_logits(const SplitInputs& split);
  std::vector<ClipDecision> decide(const SplitInputs& split);
  double clip_accuracy(const SplitInputs& split);

  Classifier& classifier() { return classifier_; }
  VGGish& base() { return base_; }
  const TrainParams& params() const { return params_; }

 private:
  torch::Tensor batch_features(const SplitInputs& split, const torch::Tensor& index, torch::Tensor& buffer);

  VGGish base_;
  TrainParams params_;
  int num_classes_;
  TrainerOptions options_;
  Classifier classifier_{nullptr};
  std::unique_ptr<Optimizer> optimizer_;
};

}  // namespace pelagos
