// `pelagos train --data ROOT --params params.json --out model.pelagos`: flags are
// checked here (params.json included) before LibTorch loads; training runs in
// pelagos_torch (src/train/train_command.cpp).
#include <memory>

#include "cli/cli.h"
#include "cli/common_flags.h"
#include "pelagos/error.h"
#include "train/train_command.h"

namespace pelagos::cli {
namespace {

struct TrainFlags {
  DatasetOptions dataset;
  FrontendFlags frontend;
  AugmentFlags augment;
  WeightsFlags weights;
  std::string params;
  std::string trainable_layers;
  std::string out;
  std::string json_out;
  bool detect_anomaly = false;
  bool no_cache = false;
};

}  // namespace

void add_train_command(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* cmd = app.add_subcommand("train", "Train a classifier with given hyperparameters");
  cmd->fallthrough();  // global flags (--threads, --cache-dir) may follow the command name
  cmd->footer("Examples:\n  pelagos train --data watkins --params best_params.json --out whales.pelagos\n"
              "  pelagos train --data demo --init random --seed 1 --trainable-layers 0 --out demo.pelagos");
  add_dataset_flags(*cmd, flags->dataset);
  cmd->add_option("--params", flags->params,
                  "Hyperparameters JSON (study names; missing keys: the original's best trial)");
  cmd->add_option("-o,--out", flags->out, "Model bundle to write")->required();
  cmd->add_option("--json", flags->json_out, "Also write the training metrics (per epoch, examples/s) as JSON");
  add_weights_flags(cmd, flags->weights);
  add_frontend_flags(cmd, flags->frontend);
  add_augment_flags(cmd, flags->augment);
  cmd->add_option("--trainable-layers", flags->trainable_layers,
                  "Last N VGGish feature modules to fine-tune (0-16 or all; default 5 or params.json)");
  add_device_flags(cmd, global.device, global.precision);
  cmd->add_flag("--detect-anomaly", flags->detect_anomaly, "LibTorch autograd anomaly detection (slow)");
  cmd->add_flag("--no-cache", flags->no_cache, "Neither read nor write the feature and activation caches");
  cmd->callback([flags, &global] {
    TrainCommandOptions opts;
    opts.dataset = flags->dataset;
    opts.frontend = flags->frontend.params();
    opts.augment = flags->augment.params();
    opts.params = flags->params.empty() ? TrainParams{} : read_train_params(flags->params);
    if (!flags->trainable_layers.empty())
      opts.params.trainable_layers = parse_trainable_layers(flags->trainable_layers);
    opts.weights_path = flags->weights.path;
    opts.random_init = flags->weights.init == "random";
    opts.init_seed = flags->weights.seed;
    opts.out = flags->out;
    opts.json_out = flags->json_out;
    opts.cache_dir = flags->no_cache ? std::string() : global.resolved_cache_dir();
    opts.threads = global.threads;
    opts.device = global.device;
    opts.precision = global.precision;
    opts.detect_anomaly = flags->detect_anomaly;
    opts.quiet = global.quiet;
    global.exit_code = call_torch_command("train", &opts);
  });
}

}  // namespace pelagos::cli
