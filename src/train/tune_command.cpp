// `pelagos tune`: the original system's Optuna study, done without its test-set
// leak. Decoding and the frozen VGGish prefix are paid once; every trial trains
// only the fine-tuned tail and the head, reporting validation accuracy per epoch
// (so pruners can stop it). The study lives in an Optuna-compatible storage and
// the same command resumes it. The best trial's model is saved as a bundle and
// scored on the test split exactly once, at the end.
#include "train/tune_command.h"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <mutex>

#include "model/bundle.h"
#include "model/runtime.h"
#include "pelagos/error.h"
#include "pelagos/report.h"
#include "pelagos/tune/study.h"
#include "train/dataset_patches.h"
#include "train/evaluate_command.h"
#include "train/prefix_features.h"
#include "train/search_space.h"
#include "train/trainer.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

constexpr const char* kSpaceAttr = "pelagos:search_space";
constexpr const char* kSetupAttr = "pelagos:setup";
constexpr const char* kBestModelAttr = "pelagos:best_model";

// A study keeps the space and data it was started with; resuming it with other
// ones would mix incomparable trials.
void check_or_record(tune::Study& study, const char* key, const nlohmann::json& value, const std::string& what) {
  auto attrs = study.storage().study_system_attrs(study.id());
  auto it = attrs.find(key);
  if (it == attrs.end()) {
    study.storage().set_study_system_attr(study.id(), key, value);
  } else if (it->second != value) {
    throw Error(fmt::format("study \"{}\" was started with a different {}:\n  stored: {}\n  now:    {}\n"
                            "Resume it with the same settings, or pick a new --study-name.",
                            study.name(), what, it->second.dump(), value.dump()));
  }
}


}  // namespace

int run_tune(const TuneCommandOptions& o) {
  configure_threads(o.threads);
  const torch::Device device = resolve_device(o.device);
  if (o.objective != "validate" && o.objective != "test")
    throw Error(fmt::format("--objective {}: expected validate or test", o.objective));
  const bool on_test = o.objective == "test";
  if (on_test)
    std::cerr << "warning: --objective test selects hyperparameters on the test split, as the original "
                 "system did. The resulting test accuracy is optimistic; use it only to reproduce the "
                 "original's numbers.\n";

  auto storage = tune::open_storage(o.storage);
  tune::StudyOptions study_options;
  study_options.heartbeat_interval_s = o.heartbeat_s;
  tune::Study study(*storage, o.study_name, tune::StudyDirection::Maximize, tune::make_sampler(o.sampler, o.seed),
                    tune::make_pruner(o.pruner), study_options);

  const Dataset dataset = load_dataset_reporting(o.dataset, o.quiet);
  const FeatureOptions fo = feature_options(o.cache_dir, o.threads, o.quiet);
  const PatchSet train = load_split_patches(dataset, "train", o.frontend, fo);
  const PatchSet validate = load_split_patches(dataset, "validate", o.frontend, fo);
  const PatchSet test = on_test ? load_split_patches(dataset, "test", o.frontend, fo) : PatchSet{};
  configure_threads(o.threads);
  BaseNetwork base = make_base_network({o.weights_path, o.random_init, o.init_seed});

  check_or_record(study, kSpaceAttr, tune::search_space_to_json(o.space), "search space");
  check_or_record(study, kSetupAttr,
                  {{"data", dataset.root},
                   {"labels", dataset.labels.names},
                   {"frontend", o.frontend.to_json()},
                   {"base_weights", base.provenance},
                   {"objective", o.objective},
                   {"fixed_params", o.base_params.to_json()}},
                  "dataset, frontend, base weights, objective or fixed parameters");
  study.storage().set_study_system_attr(study.id(), kDatasetSummaryAttr, dataset_summary(dataset));
  if (o.enqueue_original_best && study.trials().empty()) {
    nlohmann::json best = TrainParams{}.to_json();  // the original's published best trial
    nlohmann::json fixed = nlohmann::json::object();
    for (const auto& [name, dist] : o.space)
      if (best.contains(name)) fixed[name] = best[name];
    study.enqueue_trial(fixed, {{"source", "original system's published best parameters"}});
  }
  const auto stale = study.fail_stale_trials();
  if (!stale.empty() && !o.quiet)
    std::cerr << fmt::format("resume: trial(s) {} belonged to a worker that stopped; marked FAIL\n",
                             fmt::join(stale, ", "));

  if (!o.quiet)
    std::cerr << fmt::format("study \"{}\" in {}: {} trial(s) so far, target {}; {} train / {} validate clips; "
                             "base: {}\n",
                             o.study_name, o.storage, study.trials().size(), o.trials, train.num_clips(),
                             validate.num_clips(), base.describe());

  // The frozen prefix depends only on trainable_layers, fixed for the study
  // unless the space tunes it; cache per value.
  PrefixCache prefixes(o.cache_dir);
  const std::string fingerprint = o.frontend.fingerprint();
  const int classes = static_cast<int>(dataset.labels.names.size());
  const std::string out = tune_model_path(o);
  std::mutex best_mutex;

  auto objective = [&](tune::Trial& trial) -> double {
    nlohmann::json suggested = nlohmann::json::object();
    for (const auto& [name, dist] : o.space) suggested[name] = trial.suggest(name, dist);
    TrainParams params = params_for_trial(o.base_params, suggested, fmt::format("trial {}", trial.number()));
    params.seed = o.base_params.seed + static_cast<uint64_t>(trial.number());
    const int first = first_trainable_module(params.trainable_layers);
    SplitInputs train_in{&train, prefixes.get(base.net, base.identity, fingerprint, train.patches, first)};
    SplitInputs validate_in{&validate, prefixes.get(base.net, base.identity, fingerprint, validate.patches, first)};

    TrainerOptions to;
    to.device = device;
    to.progress = o.quiet ? nullptr : &std::cerr;
    to.progress_task = fmt::format("trial {}", trial.number());
    to.on_epoch = [&](int epoch, double val_acc) {
      trial.report(epoch, val_acc);
      return !trial.should_prune();
    };
    if (!o.quiet) std::cerr << fmt::format("trial {}: {}\n", trial.number(), suggested.dump());
    Trainer trainer(base.net, params, classes, to);
    const TrainResult result = trainer.fit(train_in, &validate_in);
    const double val_acc = result.epochs.back().val_acc;
    trial.set_user_attr("validate_accuracy", val_acc);
    trial.set_user_attr("train_examples_per_s",
                        result.train_seconds > 0 ? result.train_examples / result.train_seconds : 0.0);
    if (result.stopped) {
      if (!o.quiet) std::cerr << fmt::format("trial {}: pruned after epoch {}\n", trial.number(), result.epochs.size());
      throw tune::TrialPruned();
    }
    double value = val_acc;
    if (on_test) {
      SplitInputs test_in{&test, prefixes.get(base.net, base.identity, fingerprint, test.patches, first)};
      value = trainer.clip_accuracy(test_in);
    }

    // Keep the model of the best trial so far (across every worker of the study).
    std::lock_guard<std::mutex> lock(best_mutex);
    const auto best = study.best_trial();
    if (!best || !best->value || value > *best->value) {
      BundleInfo info;
      info.labels = dataset.labels.names;
      info.frontend = o.frontend;
      info.params = params;
      info.base_weights = base.provenance;
      info.metrics = {{"validate_accuracy", val_acc},
                      {"study", o.study_name},
                      {"storage", o.storage},
                      {"trial", trial.number()},
                      {"objective", o.objective}};
      save_bundle(out, info, trainer.classifier());
      study.storage().set_study_user_attr(study.id(), kBestModelAttr,
                                          {{"path", out}, {"trial", trial.number()}, {"value", value}});
    }
    return value;
  };

  study.optimize(objective, o.trials, o.timeout_s, tune::Budget::StudyTotal);

  const auto best = study.best_trial();
  if (!best) throw Error(fmt::format("study \"{}\": no trial completed; see the messages above", o.study_name));
  std::cout << fmt::format("best trial: #{} with {} accuracy {:.4f}\nbest params: {}\n", best->number,
                           on_test ? "test" : "validate", *best->value, best->params_json().dump());
  const auto user_attrs = study.storage().study_user_attrs(study.id());
  const auto model = user_attrs.find(kBestModelAttr);
  const bool have_model = model != user_attrs.end() && model->second.value("trial", -1) == best->number;
  EvaluateCommandOptions eval;
  eval.model = out;
  eval.weights_path = o.weights_path;
  eval.dataset = o.dataset;
  eval.split = "test";
  eval.cache_dir = o.cache_dir;
  eval.threads = o.threads;
  eval.device = o.device;
  eval.quiet = o.quiet;
  eval.report_out = tune_report_path(o);
  eval.json_out = tune_evaluation_path(o);
  // Chosen on validate; scored on test exactly once.
  const bool score_on_test = have_model && !on_test && dataset.split("test") && !dataset.split("test")->clips.empty();
  if (have_model) std::cout << fmt::format("best model: {}\n", out);
  else std::cout << "the best trial's model was written by another worker; evaluate it with `pelagos evaluate`.\n";
  if (have_model && on_test)
    std::cout << "test accuracy above chose the hyperparameters (--objective test), so it is not an unbiased "
                 "estimate.\n";
  if (!score_on_test) {
    ReportData data;
    data.study = load_study_snapshot(o.storage, o.study_name);
    write_report(eval.report_out, complete_report_data(std::move(data)), ReportFormat::Html);
    std::cout << fmt::format("report: {}\n", eval.report_out);
    return 0;
  }
  std::cout << "\nchosen on: validate; scored on: test (once)\n";
  publish_evaluation(eval, evaluate_model(eval), load_study_snapshot(o.storage, o.study_name));
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(tune, pelagos::TuneCommandOptions, pelagos::run_tune)
