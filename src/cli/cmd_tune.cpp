// `pelagos tune --data ROOT --storage sqlite:///study.db --study-name NAME --trials 20`:
// flags and the search space are checked here, before LibTorch loads; the study
// runs in pelagos_torch (src/train/tune_command.cpp).
#include <memory>

#include "cli/cli.h"
#include "cli/common_flags.h"
#include "pelagos/error.h"
#include "pelagos/tune/pruner.h"
#include "train/search_space.h"
#include "train/tune_command.h"

namespace pelagos::cli {
namespace {

struct TuneFlags {
  TuneCommandOptions options;
  FrontendFlags frontend;
  AugmentFlags augment;
  WeightsFlags weights;
  std::string space;
  std::string params;
  std::string enqueue;
  std::string trainable_layers;
  std::vector<std::string> pruner_options;
  double timeout_s = 0;
  bool no_cache = false;
};

// The arguments of a --jobs worker: this command line, minus the flags the
// parent sets for it (--jobs, --threads).
std::vector<std::string> worker_args(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--jobs" || a == "--threads") {
      ++i;  // and its value
      continue;
    }
    if (a.rfind("--jobs=", 0) == 0 || a.rfind("--threads=", 0) == 0) continue;
    out.push_back(a);
  }
  return out;
}

}  // namespace

void add_tune_command(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<TuneFlags>();
  TuneCommandOptions& o = flags->options;
  CLI::App* cmd = app.add_subcommand("tune", "Hyperparameter search over the classifier (Optuna-compatible study)");
  cmd->fallthrough();
  cmd->footer(
      "Examples:\n"
      "  pelagos tune --data watkins --storage sqlite:///study.db --study-name watkins --trials 20 --init random\n"
      "  pelagos tune --data demo --trials 6 --pruner median --space space.json\n"
      "  pelagos tune --data watkins --pruner median --pruner-option n_warmup_steps=2 --trials 20 --init random\n"
      "Running the same command again resumes the study. Start it N times (one database, same study name)\n"
      "for N workers; --trials counts the study's trials, not each worker's.");
  add_dataset_flags(*cmd, o.dataset);
  cmd->add_option("--storage", o.storage,
                  "Optuna storage URL: sqlite:///file.db, postgresql://user@host:port/db (shared by workers on "
                  "many machines) or memory")
      ->capture_default_str();
  cmd->add_option("--study-name", o.study_name, "Study to create or resume")->capture_default_str();
  cmd->add_option("--trials", o.trials, "Total trials of the study (all workers together)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--timeout", flags->timeout_s, "Stop starting new trials after this many seconds")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--sampler", o.sampler, "tpe, tpe-multivariate or random")->capture_default_str();
  cmd->add_option("--pruner", o.pruner, "none, median, percentile (with --pruner-option percentile=P), successive-halving or hyperband")->capture_default_str();
  cmd->add_option("--pruner-option", flags->pruner_options,
                  "KEY=VALUE setting of the pruner, named as Optuna's argument (repeatable): median and "
                  "percentile: n_startup_trials, n_warmup_steps, interval_steps, n_min_trials (percentile also: "
                  "percentile, the share of trials kept); successive-halving: "
                  "min_resource, reduction_factor, min_early_stopping_rate, bootstrap_count; hyperband: "
                  "min_resource, max_resource, reduction_factor, bootstrap_count. Steps are epochs, from 1")
      ->type_name("KEY=VALUE");
  cmd->add_option("--space", flags->space,
                  "Search space JSON (Optuna distributions); default: the original system's 8 parameters");
  cmd->add_option("--params", flags->params, "JSON of fixed training parameters outside the space");
  cmd->add_option("--objective", o.objective,
                  "validate (default) or test (reproduces the original's test-set selection; warns)")
      ->check(CLI::IsMember({"validate", "test"}));
  cmd->add_flag("--enqueue-original-best", o.enqueue_original_best,
                "Run the original system's published best parameters as the first trial");
  cmd->add_option("--enqueue", flags->enqueue,
                  "JSON file of trials to run first: {\"lr\": 1e-4, ...} or a list of them; names left out are "
                  "sampled, trials the study already has are skipped");
  cmd->add_option("-o,--out", o.out, "Best model bundle (default: <study-name>.best.pelagos)");
  add_weights_flags(cmd, flags->weights);
  add_frontend_flags(cmd, flags->frontend);
  add_augment_flags(cmd, flags->augment);
  cmd->add_option("--trainable-layers", flags->trainable_layers, "Last N VGGish modules to fine-tune (0-16 or all)");
  add_device_flags(cmd, global.device, global.precision);
  cmd->add_flag("--no-cache", flags->no_cache, "Neither read nor write the feature and activation caches");
  cmd->add_option("--jobs", o.jobs,
                  "Trials run at once: this process plus N-1 worker processes on the same study, sharing the "
                  "threads (needs an on-disk storage)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--worker", o.is_worker, "Internal: a process started by --jobs")->group("");
  cmd->callback([flags, cmd, &global] {
    TuneCommandOptions opts = flags->options;
    opts.pruner_options = tune::parse_pruner_options(flags->pruner_options);
    tune::make_pruner(opts.pruner, opts.pruner_options);  // a bad name or option fails before LibTorch loads
    opts.frontend = flags->frontend.params();
    opts.base_augment = flags->augment.params();
    opts.base_params = flags->params.empty() ? TrainParams{} : read_train_params(flags->params);
    if (!flags->trainable_layers.empty())
      opts.base_params.trainable_layers = parse_trainable_layers(flags->trainable_layers);
    opts.space = flags->space.empty() ? original_search_space()
                                      : read_search_space(flags->space, {opts.base_params, opts.base_augment, opts.frontend});
    if (!flags->enqueue.empty()) {
      opts.enqueue = read_enqueued_trials(flags->enqueue, opts.space, {opts.base_params, opts.base_augment, opts.frontend});
      opts.enqueue_source = flags->enqueue;
    }
    if (flags->timeout_s > 0) opts.timeout_s = flags->timeout_s;
    opts.weights_path = flags->weights.path;
    opts.random_init = flags->weights.init == "random";
    opts.init_seed = flags->weights.seed;
    if (cmd->count("--seed") > 0) {
      opts.seed = flags->weights.seed;
      opts.base_params.seed = flags->weights.seed;
    }
    opts.cache_dir = flags->no_cache ? std::string() : global.resolved_cache_dir();
    opts.threads = global.threads;
    opts.device = global.device;
    opts.precision = global.precision;
    opts.quiet = global.quiet;
    if (opts.jobs > 1 && !opts.is_worker) opts.worker_args = worker_args(global.args);
    global.exit_code = call_torch_command("tune", &opts);
  });
}

}  // namespace pelagos::cli
