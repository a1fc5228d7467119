#include "train/trainer.h"

#include "util/interrupt.h"

#include <torch/autograd.h>
#include <torch/nn/functional/loss.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>

#include "model/runtime.h"
#include "train/augmenter.h"
#include "train/optimizer.h"
#include "util/progress.h"

namespace pelagos {
namespace {

// scikit-learn's "balanced": n / (classes * count); absent classes get 0.
torch::Tensor balanced_weights(const torch::Tensor& labels, int num_classes) {
  torch::Tensor counts = torch::bincount(labels, {}, num_classes).to(torch::kFloat32);
  torch::Tensor w = static_cast<double>(labels.size(0)) / (num_classes * counts);
  return torch::where(counts > 0, w, torch::zeros_like(w));
}

class AnomalyScope {
 public:
  explicit AnomalyScope(bool on) : previous_(torch::autograd::AnomalyMode::is_enabled()) {
    torch::autograd::AnomalyMode::set_enabled(on || previous_);
  }
  ~AnomalyScope() { torch::autograd::AnomalyMode::set_enabled(previous_); }

 private:
  bool previous_;
};

}  // namespace

Trainer::Trainer(VGGish base, const TrainParams& params, int num_classes, TrainerOptions options)
    : base_(std::move(base)), params_(params), num_classes_(num_classes), options_(std::move(options)) {
  params_.validate();
  keep_freed_tensor_memory();
  torch::manual_seed(params_.seed);
  classifier_ = Classifier(base_, params_, num_classes_);
  classifier_->to(options_.device);
  base_->to(options_.device);
  std::vector<torch::Tensor> trainable;
  for (auto& p : classifier_->parameters())
    if (p.requires_grad()) trainable.push_back(p);
  optimizer_ = make_optimizer(params_, std::move(trainable));
}

Trainer::~Trainer() = default;

torch::Tensor Trainer::batch_features(const SplitInputs& split, const torch::Tensor& index, torch::Tensor& buffer) {
  const torch::Tensor& source = split.prefix.defined() ? split.prefix : split.clips->patches;
  std::vector<int64_t> shape = source.sizes().vec();
  shape[0] = index.size(0);
  if (!buffer.defined() || buffer.size(0) < index.size(0)) buffer = torch::empty(shape, source.options());
  torch::Tensor x = buffer.narrow(0, 0, index.size(0));
  torch::index_select_out(x, source, 0, index);
  x = x.to(options_.device);
  if (split.prefix.defined()) return x;
  torch::NoGradGuard no_grad;
  PrecisionScope float32(Precision::Float32, options_.device);  // as the cached prefix (compute_prefix)
  return base_->features_range(x, 0, classifier_->first_trainable());
}

TrainResult Trainer::fit(const SplitInputs& train, const SplitInputs* validate) {
  return fit(std::vector<SplitInputs>{train}, validate);
}

TrainResult Trainer::fit(const std::vector<SplitInputs>& variants, const SplitInputs* validate) {
  AnomalyScope anomaly(options_.detect_anomaly);
  PrecisionScope precision(options_.precision, options_.device);
  TrainResult result;
  std::optional<Progress> progress;
  if (options_.progress) progress.emplace(options_.progress_task, params_.epochs, "epochs");
  if (variants.empty()) throw std::invalid_argument("Trainer::fit: no training split");
  std::vector<torch::Tensor> variant_labels;
  int64_t max_n = 0;
  for (const SplitInputs& v : variants) {
    if (v.clips->num_patches() == 0) throw std::invalid_argument("Trainer::fit: the training split has no patches");
    variant_labels.push_back(v.clips->patch_labels());
    max_n = std::max(max_n, v.clips->num_patches());
  }
  const torch::Tensor& labels0 = variant_labels[0];
  torch::Tensor weights;
  if (params_.class_weights == ClassWeighting::Balanced)
    weights = balanced_weights(labels0, num_classes_).to(options_.device);
  auto loss_options = torch::nn::functional::CrossEntropyFuncOptions();
  if (weights.defined()) loss_options.weight(weights);

  // Dropout draws from LibTorch's global generator: reseed it here so a run does
  // not depend on what ran in between (another trainer, a prefix computation).
  torch::manual_seed(params_.seed + 1);
  std::mt19937_64 rng(params_.seed);
  std::vector<int64_t> order;
  torch::Tensor feature_buffer;
  torch::Tensor label_buffer = torch::empty({std::min<int64_t>(params_.batch_size, max_n)}, torch::kInt64);
  torch::Tensor index_buffer = torch::empty({std::min<int64_t>(params_.batch_size, max_n)}, torch::kInt64);
  Augmenter augmenter(options_.augment, params_.seed);

  for (int epoch = 1; epoch <= params_.epochs; ++epoch) {
    auto t0 = std::chrono::steady_clock::now();
    // Raw-audio augmented variants take turns: variant 0 (the clips themselves) first.
    const size_t which = size_t(epoch - 1) % variants.size();
    const SplitInputs& train = variants[which];
    const torch::Tensor& labels = variant_labels[which];
    const int64_t n = train.clips->num_patches();
    order.resize(size_t(n));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    classifier_->train();
    double loss_sum = 0;
    int64_t correct = 0;
    for (int64_t start = 0; start < n; start += params_.batch_size) {
      throw_if_interrupted();  // Ctrl-C under an InterruptScope: stop between batches
      const int64_t len = std::min<int64_t>(params_.batch_size, n - start);
      torch::Tensor index = index_buffer.narrow(0, 0, len);
      std::copy(order.begin() + start, order.begin() + start + len, index.data_ptr<int64_t>());
      torch::Tensor x = batch_features(train, index, feature_buffer);
      torch::Tensor y = label_buffer.narrow(0, 0, len);
      torch::index_select_out(y, labels, 0, index);
      torch::Tensor y_dev = y.to(options_.device);

      optimizer_->zero_grad();
      // batch_features gave a copy, so augmenting never touches the cached prefix.
      MixedBatch mixed = options_.augment.batch_level() ? augmenter.apply(x, y_dev) : MixedBatch{x, torch::Tensor(), 1.0};
      torch::Tensor logits = classifier_->forward(mixed.x);
      torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y_dev, loss_options);
      if (mixed.y_other.defined())
        loss = loss * mixed.lambda +
               torch::nn::functional::cross_entropy(logits, mixed.y_other, loss_options) * (1.0 - mixed.lambda);
      loss.backward();
      optimizer_->step();
      loss_sum += loss.item<double>() * static_cast<double>(len);
      correct += logits.argmax(1).eq(y_dev).sum().item<int64_t>();
    }
    EpochStats s;
    s.epoch = epoch;
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s.loss = loss_sum / static_cast<double>(n);
    s.train_acc = static_cast<double>(correct) / static_cast<double>(n);
    s.examples_per_s = s.seconds > 0 ? static_cast<double>(n) / s.seconds : 0.0;
    const auto v0 = std::chrono::steady_clock::now();
    s.val_acc = validate ? clip_accuracy(*validate) : std::numeric_limits<double>::quiet_NaN();
    if (validate) s.validate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    result.epochs.push_back(s);
    result.train_seconds += s.seconds;
    result.train_examples += n;
    const std::string val = std::isnan(s.val_acc) ? std::string("-") : fmt::format("{:.4f}", s.val_acc);
    if (progress) progress->advance(1, fmt::format("loss {:.4f}  val acc {}  {:.0f} ex/s", s.loss, val, s.examples_per_s));
    if (options_.progress && log_settings().verbose)
      *options_.progress << fmt::format("epoch {}/{}  loss {:.4f}  train acc {:.4f}  val clip acc {}  {:.1f} ex/s\n",
                                        epoch, params_.epochs, s.loss, s.train_acc, val, s.examples_per_s)
                         << std::flush;
    if (options_.on_epoch && !options_.on_epoch(epoch, s.val_acc)) {
      result.stopped = true;
      break;
    }
  }
  return result;
}

torch::Tensor Trainer::patch_logits(const SplitInputs& split) {
  torch::NoGradGuard no_grad;
  PrecisionScope precision(options_.precision, options_.device);
  classifier_->eval();
  const int64_t n = split.clips->num_patches();
  torch::Tensor out = torch::empty({n, num_classes_});
  torch::Tensor buffer;
  torch::Tensor index = torch::arange(n, torch::kInt64);
  for (int64_t start = 0; start < n; start += options_.eval_batch) {
    const int64_t len = std::min(options_.eval_batch, n - start);
    torch::Tensor x = batch_features(split, index.narrow(0, start, len), buffer);
    out.narrow(0, start, len).copy_(classifier_->forward(x));
  }
  return out;
}

std::vector<ClipDecision> Trainer::decide(const SplitInputs& split) {
  return decide_clips(patch_logits(split), split.clips->clip_begin, params_.clip_aggregation);
}

double Trainer::clip_accuracy(const SplitInputs& split) {
  const int64_t clips = split.clips->num_clips();
  if (clips == 0) return std::numeric_limits<double>::quiet_NaN();
  std::vector<ClipDecision> d = decide(split);
  int64_t correct = 0;
  for (int64_t c = 0; c < clips; ++c) correct += d[c].predicted == split.clips->clip_labels[c];
  return static_cast<double>(correct) / static_cast<double>(clips);
}

}  // namespace pelagos
