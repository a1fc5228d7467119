// `pelagos train`: features for train (+ validate), the frozen prefix once,
// the trainer with one progress line per epoch, then the model bundle.
#include "train/train_command.h"

#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "model/bundle.h"
#include "model/runtime.h"
#include "train/audio_augment.h"
#include "train/dataset_patches.h"
#include "train/prefix_features.h"
#include "train/trainer.h"
#include "util/atomic_file.h"
#include "util/cpu_count.h"
#include "util/torch_command.h"

namespace pelagos {

int run_train(const TrainCommandOptions& options) {
  configure_threads(options.threads);
  const torch::Device device = resolve_device(options.device);
  const Precision precision = parse_precision(options.precision);
  warn_if_slow_precision(precision, device);
  const Dataset dataset = load_dataset_reporting(options.dataset, options.quiet);
  const FeatureOptions fo = feature_options(options.cache_dir, options.threads, options.quiet);
  const PatchSet train = load_split_patches(dataset, "train", options.frontend, fo);
  const bool has_validate = dataset.split("validate") && !dataset.split("validate")->clips.empty();
  const PatchSet validate = has_validate ? load_split_patches(dataset, "validate", options.frontend, fo) : PatchSet{};
  const std::vector<PatchSet> variants = augmented_variants(dataset, "train", options.frontend, options.augment, fo);
  configure_threads(options.threads);

  BaseNetwork base = make_base_network({options.weights_path, options.random_init, options.init_seed});
  if (!options.quiet)
    std::cerr << fmt::format("train: {} clips ({} patches), validate: {} clips; {} species; base: {}\n",
                             train.num_clips(), train.num_patches(), validate.num_clips(),
                             dataset.labels.names.size(), base.describe());

  PrefixCache prefixes(options.cache_dir);
  const int first = first_trainable_module(options.params.trainable_layers);
  const std::string fingerprint = options.frontend.fingerprint();
  SplitInputs train_in{&train, prefixes.get(base.net, base.identity, fingerprint, train.patches, first)};
  std::vector<SplitInputs> train_variants{train_in};
  for (const PatchSet& v : variants)
    train_variants.push_back({&v, prefixes.get(base.net, base.identity, fingerprint, v.patches, first)});
  SplitInputs validate_in{&validate, has_validate ? prefixes.get(base.net, base.identity, fingerprint,
                                                                 validate.patches, first)
                                                  : torch::Tensor()};

  TrainerOptions to;
  to.device = device;
  to.precision = precision;
  to.detect_anomaly = options.detect_anomaly;
  to.augment = options.augment;
  to.progress = options.quiet ? nullptr : &std::cerr;
  Trainer trainer(base.net, options.params, static_cast<int>(dataset.labels.names.size()), to);
  const TrainResult result = trainer.fit(train_variants, has_validate ? &validate_in : nullptr);

  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochStats& e : result.epochs)
    epochs.push_back({{"epoch", e.epoch},
                      {"loss", e.loss},
                      {"train_accuracy", e.train_acc},
                      {"validate_accuracy", std::isnan(e.val_acc) ? nlohmann::json() : nlohmann::json(e.val_acc)},
                      {"seconds", e.seconds},
                      {"validate_seconds", e.validate_seconds},
                      {"examples_per_s", e.examples_per_s}});
  BundleInfo info;
  info.labels = dataset.labels.names;
  info.frontend = options.frontend;
  info.params = options.params;
  info.augment = options.augment;
  info.base_weights = base.provenance;
  const double val_acc = result.epochs.back().val_acc;
  info.metrics = {{"epochs", epochs},
                  {"validate_accuracy", std::isnan(val_acc) ? nlohmann::json() : nlohmann::json(val_acc)},
                  {"train_examples_per_s", result.train_seconds > 0 ? result.train_examples / result.train_seconds
                                                                    : 0.0},
                  {"precision", precision_name(precision)},
                  {"train_clips", train.num_clips()},
                  {"train_patches", train.num_patches()},
                  {"validate_clips", validate.num_clips()}};
  save_bundle(options.out, info, trainer.classifier());
  if (!options.json_out.empty())
    write_file_atomic(options.json_out, nlohmann::json{{"model", options.out},
                                                       {"params", options.params.to_json()},
                                                       {"base_weights", base.provenance},
                                                       {"threads", available_threads(options.threads)},
                                                       {"metrics", info.metrics}}
                                                .dump(2) + "\n");
  if (has_validate) std::cout << fmt::format("validate accuracy: {:.4f}\n", val_acc);
  if (!options.quiet) std::cerr << fmt::format("model written to {}\n", options.out);
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(train, pelagos::TrainCommandOptions, pelagos::run_train)
