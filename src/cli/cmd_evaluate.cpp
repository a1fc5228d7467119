// `pelagos evaluate --model M --data ROOT --split test [--json F] [--csv F]`:
// runs in pelagos_torch (src/train/evaluate_command.cpp).
#include <memory>

#include "cli/cli.h"
#include "cli/common_flags.h"
#include "train/evaluate_command.h"

namespace pelagos::cli {

void add_evaluate_command(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<EvaluateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("evaluate", "Evaluate a model bundle on a split (clip-level metrics)");
  cmd->fallthrough();
  cmd->footer(
      "Examples:\n"
      "  pelagos evaluate --model best.pelagos --data watkins --split test\n"
      "  pelagos evaluate -m best.pelagos --data watkins --json test.json --csv per_class.csv --report test.html\n"
      "Prints accuracy, balanced accuracy, macro F1 and the confusion matrix, and writes an HTML report.");
  cmd->add_option("-m,--model", opts->model, "Model bundle (pelagos train --out)")->required()->check(
      CLI::ExistingFile);
  add_dataset_flags(*cmd, opts->dataset);
  cmd->add_option("--split", opts->split, "Split to evaluate")->capture_default_str();
  cmd->add_option("--json", opts->json_out, "Also write the metrics (and per-clip predictions) as JSON");
  cmd->add_option("--csv", opts->csv_out, "Also write per-class precision/recall/F1/support as CSV");
  cmd->add_option("--report", opts->report_out,
                  "HTML report (default: M.<split>.report.html beside the model M.pelagos)");
  cmd->add_flag("--no-report", opts->no_report, "Write no HTML report");
  cmd->add_option("--weights", opts->weights_path, "The VGGish weights file the model was trained on, if moved");
  add_device_flags(cmd, global.device, global.precision);
  cmd->callback([opts, &global] {
    opts->cache_dir = global.resolved_cache_dir();
    opts->threads = global.threads;
    opts->device = global.device;
    opts->precision = global.precision;
    opts->quiet = global.quiet;
    global.exit_code = call_torch_command("evaluate", opts.get());
  });
}

}  // namespace pelagos::cli
