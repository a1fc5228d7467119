// `pelagos tune`: the original system's Optuna study, done without its test-set
// leak. Decoding and the frozen VGGish prefix are paid once; every trial trains
// only the fine-tuned tail and the head, reporting validation accuracy per epoch
// (so pruners can stop it). The study lives in an Optuna-compatible storage and
// the same command resumes it. The best trial's model is saved as a bundle and
// scored on the test split exactly once, at the end.
#include "train/tune_command.h"

#include <fmt/format.h>

#include <csignal>
#include <cmath>
#include <iostream>
#include <map>
#include <mutex>

#include "model/bundle.h"
#include "model/runtime.h"
#include "pelagos/error.h"
#include "pelagos/report.h"
#include "pelagos/tune/study.h"
#include "train/audio_augment.h"
#include "train/dataset_patches.h"
#include "train/evaluate_command.h"
#include "train/prefix_features.h"
#include "train/search_space.h"
#include "train/trainer.h"
#include "util/cpu_count.h"
#include "util/interrupt.h"
#include "util/torch_command.h"
#include "util/worker_processes.h"

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

// What an interrupted run leaves: every finished trial is stored; the same command resumes.
int report_interrupted(tune::Study& study, int signal) {
  int complete = 0;
  for (const auto& t : study.trials()) complete += t.state == tune::TrialState::Complete;
  std::cerr << fmt::format("interrupted by {}: study \"{}\" keeps {} complete trial(s); the running trial, if any, "
                           "is marked FAIL. Run the same command again to resume.\n",
                           signal == SIGTERM ? "SIGTERM" : "SIGINT", study.name(), complete);
  if (const auto best = study.best_trial())
    std::cout << fmt::format("best trial so far: #{} with value {:.4f}\nbest params: {}\n", best->number,
                             *best->value, best->params_json().dump());
  return kExitInterrupted;
}


// --jobs N: N-1 more processes run the same study; each gets an equal share of
// the threads (on small machines, concurrent single-threaded trials beat one
// trial whose threads wait on each other's barriers).
std::vector<pid_t> start_workers(const TuneCommandOptions& o, int threads_per_job) {
  std::vector<pid_t> workers;
  const std::string exe = pelagos_executable();
  for (int i = 1; i < o.jobs; ++i) {
    std::vector<std::string> argv{exe};
    argv.insert(argv.end(), o.worker_args.begin(), o.worker_args.end());
    argv.insert(argv.end(), {"--threads", std::to_string(threads_per_job), "--jobs", "1", "--worker"});
    workers.push_back(start_process(argv));
  }
  return workers;
}

void stop_workers(const std::vector<pid_t>& workers) {
  for (pid_t pid : workers) kill(pid, SIGTERM);
}

void wait_for_workers(const std::vector<pid_t>& workers) {
  for (pid_t pid : workers) {
    const int code = wait_process(pid);
    if (code != 0)
      std::cerr << fmt::format("warning: worker process {} exited with status {}; its trials stay in the study "
                               "(a running one is marked FAIL when the study resumes)\n", pid, code);
  }
}

}  // namespace

int run_tune(const TuneCommandOptions& o) {
  if (o.jobs > 1 && (o.storage == "memory" || o.storage == ":memory:"))
    throw Error("--jobs needs a storage that worker processes can share: use --storage sqlite:///FILE.db "
                "(or a database URL), not memory");
  configure_threads(o.threads);
  const torch::Device device = resolve_device(o.device);
  const Precision precision = parse_precision(o.precision);
  warn_if_slow_precision(precision, device);
  if (o.objective != "validate" && o.objective != "test")
    throw Error(fmt::format("--objective {}: expected validate or test", o.objective));
  const bool on_test = o.objective == "test";
  if (on_test)
    std::cerr << "warning: --objective test selects hyperparameters on the test split, as the original "
                 "system did. The resulting test accuracy is optimistic; use it only to reproduce the "
                 "original's numbers.\n";

  // Ctrl-C / SIGTERM: the running trial stops between batches and is marked FAIL,
  // no new trial starts, and the command ends with a summary and exit status 3.
  InterruptScope interrupts;
  auto storage = tune::open_storage(o.storage);
  tune::StudyOptions study_options;
  study_options.heartbeat_interval_s = o.heartbeat_s;
  study_options.stop_requested = interrupt_requested;
  // Constant liar: workers sharing the study (started N times) spread out; a
  // lone worker has no other RUNNING trials, so it changes nothing there.
  tune::Study study(*storage, o.study_name, tune::StudyDirection::Maximize,
                    tune::make_sampler(o.sampler, o.seed, /*constant_liar=*/true), tune::make_pruner(o.pruner, o.pruner_options),
                    study_options);

  const Dataset dataset = load_dataset_reporting(o.dataset, o.quiet);
  const FeatureOptions fo = feature_options(o.cache_dir, o.threads, o.quiet);
  // Patches per frontend: a study that tunes denoising sees two (each cached on disk).
  struct Splits {
    PatchSet train, validate, test;
  };
  std::map<std::string, Splits> splits_by_frontend;
  auto splits_for = [&](const FrontendParams& frontend) -> const Splits& {
    const std::string key = frontend.fingerprint();
    auto it = splits_by_frontend.find(key);
    if (it != splits_by_frontend.end()) return it->second;
    Splits s{load_split_patches(dataset, "train", frontend, fo), load_split_patches(dataset, "validate", frontend, fo),
             on_test ? load_split_patches(dataset, "test", frontend, fo) : PatchSet{}};
    configure_threads(o.threads);
    return splits_by_frontend.emplace(key, std::move(s)).first->second;
  };
  const Splits& first_splits = splits_for(o.frontend);
  // Raw-audio augmented copies of the training split, per frontend and augmentation.
  std::map<std::string, std::vector<PatchSet>> variants_by_setting;
  auto variants_for = [&](const FrontendParams& frontend, const AugmentParams& augment) -> const std::vector<PatchSet>& {
    const std::string key = frontend.fingerprint() + "|" + augment.raw_audio_json().dump();
    auto it = variants_by_setting.find(key);
    if (it != variants_by_setting.end()) return it->second;
    std::vector<PatchSet> v = augmented_variants(dataset, "train", frontend, augment, fo);
    configure_threads(o.threads);
    return variants_by_setting.emplace(key, std::move(v)).first->second;
  };
  BaseNetwork base = make_base_network({o.weights_path, o.random_init, o.init_seed});

  check_or_record(study, kSpaceAttr, tune::search_space_to_json(o.space), "search space");
  nlohmann::json setup = {{"data", dataset.root},
                   {"labels", dataset.labels.names},
                   {"frontend", o.frontend.to_json()},
                   {"base_weights", base.provenance},
                   {"objective", o.objective},
                   {"fixed_params", o.base_params.to_json()}};
  if (o.base_augment.batch_level() || o.base_augment.raw_audio()) setup["augment"] = o.base_augment.to_json();  // studies without it keep their record
  check_or_record(study, kSetupAttr, setup, "dataset, frontend, base weights, objective, fixed parameters or augmentation");
  study.storage().set_study_system_attr(study.id(), kDatasetSummaryAttr, dataset_summary(dataset));
  if (o.enqueue_original_best && study.trials().empty()) {
    nlohmann::json best = TrainParams{}.to_json();  // the original's published best trial
    nlohmann::json fixed = nlohmann::json::object();
    for (const auto& [name, dist] : o.space)
      if (best.contains(name)) fixed[name] = best[name];
    study.enqueue_trial(fixed, {{"source", "original system's published best parameters"}});
  }
  if (!o.is_worker) {
    int added = 0;
    for (const nlohmann::json& params : o.enqueue)
      added += study.enqueue_trial(params, {{"source", o.enqueue_source}}, /*skip_if_exists=*/true);
    if (!o.quiet && !o.enqueue.empty())
      std::cerr << fmt::format("enqueued {} of {} trial(s) from {} ({} already in the study)\n", added,
                               o.enqueue.size(), o.enqueue_source, o.enqueue.size() - added);
  }
  const auto stale = study.fail_stale_trials();
  if (!stale.empty() && !o.quiet)
    std::cerr << fmt::format("resume: trial(s) {} belonged to a worker that stopped; marked FAIL\n",
                             fmt::join(stale, ", "));

  if (!o.quiet)
    std::cerr << fmt::format("study \"{}\" in {}: {} trial(s) so far, target {}; {} train / {} validate clips; "
                             "base: {}\n",
                             o.study_name, tune::redact_storage_url(o.storage), study.trials().size(), o.trials,
                             first_splits.train.num_clips(), first_splits.validate.num_clips(), base.describe());

  // The frozen prefix depends only on trainable_layers, fixed for the study
  // unless the space tunes it; cache per value.
  PrefixCache prefixes(o.cache_dir);
  const int classes = static_cast<int>(dataset.labels.names.size());
  const std::string out = tune_model_path(o);
  std::mutex best_mutex;

  std::vector<pid_t> workers;
  if (o.jobs > 1 && !o.is_worker) {
    // Fill the caches once, here, so the workers start from them instead of
    // decoding and running the frozen prefix side by side.
    if (o.space.count("trainable_layers") == 0) {
      const int first = first_trainable_module(o.base_params.trainable_layers);
      const std::string fingerprint = o.frontend.fingerprint();
      prefixes.get(base.net, base.identity, fingerprint, first_splits.train.patches, first);
      prefixes.get(base.net, base.identity, fingerprint, first_splits.validate.patches, first);
    }
    const int threads_per_job = std::max(1, available_threads(o.threads) / o.jobs);
    workers = start_workers(o, threads_per_job);
    configure_threads(threads_per_job);
    if (!o.quiet)
      std::cerr << fmt::format("started {} more worker process(es); {} thread(s) each\n", workers.size(),
                               threads_per_job);
  }

  auto objective = [&](tune::Trial& trial) -> double {
    nlohmann::json suggested = nlohmann::json::object();
    for (const auto& [name, dist] : o.space) suggested[name] = trial.suggest(name, dist);
    const TrialConfig config = params_for_trial({o.base_params, o.base_augment, o.frontend}, suggested,
                                                fmt::format("trial {}", trial.number()));
    TrainParams params = config.train;
    params.seed = o.base_params.seed + static_cast<uint64_t>(trial.number());
    const int first = first_trainable_module(params.trainable_layers);
    const Splits& splits = splits_for(config.frontend);
    const std::string fingerprint = config.frontend.fingerprint();
    SplitInputs train_in{&splits.train, prefixes.get(base.net, base.identity, fingerprint, splits.train.patches, first)};
    std::vector<SplitInputs> train_variants{train_in};
    for (const PatchSet& v : variants_for(config.frontend, config.augment))
      train_variants.push_back({&v, prefixes.get(base.net, base.identity, fingerprint, v.patches, first)});
    SplitInputs validate_in{&splits.validate,
                            prefixes.get(base.net, base.identity, fingerprint, splits.validate.patches, first)};

    TrainerOptions to;
    to.device = device;
    to.precision = precision;
    to.progress = o.quiet ? nullptr : &std::cerr;
    to.augment = config.augment;
    // Batch draws differ per trial; raw-audio variants keep the study's seed, so trials share them (and their cache).
    to.progress_task = fmt::format("trial {}", trial.number());
    to.on_epoch = [&](int epoch, double val_acc) {
      trial.report(epoch, val_acc);
      return !trial.should_prune();
    };
    if (!o.quiet) std::cerr << fmt::format("trial {}: {}\n", trial.number(), suggested.dump());
    Trainer trainer(base.net, params, classes, to);
    const TrainResult result = trainer.fit(train_variants, &validate_in);
    const double val_acc = result.epochs.back().val_acc;
    trial.set_user_attr("validate_accuracy", val_acc);
    trial.set_user_attr("precision", precision_name(precision));
    trial.set_user_attr("train_examples_per_s",
                        result.train_seconds > 0 ? result.train_examples / result.train_seconds : 0.0);
    if (result.stopped) {
      if (!o.quiet) std::cerr << fmt::format("trial {}: pruned after epoch {}\n", trial.number(), result.epochs.size());
      throw tune::TrialPruned();
    }
    double value = val_acc;
    if (on_test) {
      SplitInputs test_in{&splits.test, prefixes.get(base.net, base.identity, fingerprint, splits.test.patches, first)};
      value = trainer.clip_accuracy(test_in);
    }

    // Keep the model of the best trial so far (across every worker of the study).
    std::lock_guard<std::mutex> lock(best_mutex);
    const auto best = study.best_trial();
    if (!best || !best->value || value > *best->value) {
      BundleInfo info;
      info.labels = dataset.labels.names;
      info.frontend = config.frontend;
      info.params = params;
      info.augment = to.augment;
      info.base_weights = base.provenance;
      info.metrics = {{"validate_accuracy", val_acc},
                      {"study", o.study_name},
                      {"storage", tune::redact_storage_url(o.storage)},
                      {"trial", trial.number()},
                      {"objective", o.objective}};
      save_bundle(out, info, trainer.classifier());
      study.storage().set_study_user_attr(study.id(), kBestModelAttr,
                                          {{"path", out}, {"trial", trial.number()}, {"value", value}});
    }
    return value;
  };

  try {
    study.optimize(objective, o.trials, o.timeout_s, tune::Budget::StudyTotal);
  } catch (const Interrupted&) {
    // The running trial is already marked FAIL; report below.
  }
  // --jobs workers stop the same way (a terminal's Ctrl-C reaches them anyway).
  if (interrupt_requested()) stop_workers(workers);
  wait_for_workers(workers);
  if (interrupt_requested()) return report_interrupted(study, interrupt_signal());
  if (o.is_worker) return 0;

  const auto best = study.best_trial();
  if (!best) throw Error(fmt::format("study \"{}\": no trial completed; see the messages above", o.study_name));
  std::cout << fmt::format("best trial: #{} with {} accuracy {:.4f}\nbest params: {}\n", best->number,
                           on_test ? "test" : "validate", *best->value, best->params_json().dump());
  const auto user_attrs = study.storage().study_user_attrs(study.id());
  const auto model = user_attrs.find(kBestModelAttr);
  const bool have_model = model != user_attrs.end() && model->second.value("trial", -1) == best->number;
  // Workers sharing a study (maybe on other machines) each have their own --out.
  const std::string best_path = have_model ? model->second.value("path", std::string()) : std::string();
  if (have_model && best_path != out) {
    std::cout << fmt::format("best model: {} (written by another worker, maybe on another machine; evaluate it "
                             "there with `pelagos evaluate`)\n",
                             best_path);
    return 0;
  }
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
