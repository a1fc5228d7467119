// `pelagos demo [--out DIR]`: the whole job on the embedded default, in a few
// minutes on 2 cores: write the synthetic dataset, tune a small study (frozen
// VGGish, small heads; random init unless the pretrained weights are already in
// the hub cache), keep the best model, score it on the test split once and
// write the report. Runs `pelagos tune` in-process.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "cli/common_flags.h"
#include "data/demo_data.h"
#include "model/weights_spec.h"
#include "train/search_space.h"
#include "train/tune_command.h"
#include "util/paths.h"

namespace pelagos::cli {
namespace {

struct DemoFlags {
  std::string out = "demo-run";
  int trials = 8;
  uint64_t seed = 1;
  bool random_init = false;
};

void run_demo(const DemoFlags& f, GlobalOptions& global) {
  namespace fs = std::filesystem;
  const fs::path out(f.out);
  DemoDataOptions demo;
  demo.out_dir = (out / "data").string();
  demo.seed = f.seed;
  demo.force = true;
  const DemoDataSummary s = write_demo_data(demo);
  if (!global.quiet)
    std::cerr << fmt::format("demo: {} species, {} train / {} validate / {} test clips in {}\n", s.species.size(),
                             s.clips[0], s.clips[1], s.clips[2], s.out_dir);

  TuneCommandOptions o;
  o.dataset.root = demo.out_dir;
  o.storage = "sqlite:///" + (out / "study.db").string();
  o.study_name = "demo";
  o.trials = f.trials;
  o.seed = f.seed;
  o.base_params.seed = f.seed;
  o.base_params.trainable_layers = 0;  // frozen extractor: the prefix is computed once for all trials
  o.space = demo_search_space();
  o.pruner = "median";
  o.out = (out / "best.pelagos").string();
  const std::string hub_weights = (fs::path(torch_hub_checkpoints_dir()) / kVGGishWeightsFile).string();
  o.random_init = f.random_init || !fs::exists(hub_weights);
  o.init_seed = f.seed;
  o.cache_dir = (out / "cache").string();
  o.threads = global.threads;
  o.device = global.device;
  o.precision = global.precision;
  o.quiet = global.quiet;
  if (!global.quiet)
    std::cerr << (o.random_init ? "demo: base network: random init (not pretrained; `pelagos weights fetch` gets the "
                                  "pretrained VGGish weights)\n"
                                : fmt::format("demo: base network: pretrained VGGish weights {}\n", hub_weights));
  const int status = call_torch_command("tune", &o);
  if (status != 0) {
    global.exit_code = status;
    return;
  }
  std::cout << fmt::format(
      "\ndemo: dataset     {}\n"
      "demo: study       {} (study \"demo\"; Optuna: optuna.load_study(study_name=\"demo\", storage=\"{}\"))\n"
      "demo: best model  {}\n"
      "demo: test scores {}\n"
      "demo: report      {}\n"
      "demo: next        pelagos predict --model {} {} --out {}\n",
      demo.out_dir, (out / "study.db").string(), o.storage, o.out, tune_evaluation_path(o), tune_report_path(o), o.out,
      (out / "data" / "test").string(), (out / "predictions.csv").string());
}

}  // namespace

void add_demo_command(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Run the whole job on a synthetic dataset: data, a small tuning study, the best model, its test "
              "scores and the report");
  cmd->footer(
      "Examples:\n"
      "  pelagos demo                      # everything under ./demo-run\n"
      "  pelagos demo --out /tmp/demo --trials 4\n"
      "A few minutes on 2 cores. Running it again resumes the study in DIR/study.db (raise --trials for more).");
  cmd->add_option("-o,--out", f->out, "Folder for the dataset, study, model and report")->capture_default_str();
  cmd->add_option("--trials", f->trials, "Trials of the study")->check(CLI::Range(1, 200))->capture_default_str();
  cmd->add_option("--seed", f->seed, "Seed of the data, the sampler and the training")->capture_default_str();
  cmd->add_flag("--random-init", f->random_init,
                "Random-init VGGish even when the pretrained weights are in the hub cache");
  add_device_flags(cmd, global.device, global.precision);
  cmd->callback([f, &global] { run_demo(*f, global); });
}

}  // namespace pelagos::cli
