// `pelagos predict --model M INPUT... [--window S] [--hop S] [--format csv|raven]
// [--min-score P] [--out FILE]`: runs in pelagos_torch (src/predict/predict_command.cpp).
#include <memory>

#include "audio/audio_files.h"
#include "cli/cli.h"
#include "cli/common_flags.h"
#include "predict/predict_command.h"

namespace pelagos::cli {

void add_predict_command(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<PredictCommandOptions>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("predict", "Classify recordings in a sliding window");
  cmd->fallthrough();
  cmd->footer("Examples:\n  pelagos predict --model whales.pelagos hydrophone/ --out predictions.csv\n"
              "  pelagos predict -m whales.pelagos day1.flac --format raven --min-score 0.8 --out detections.txt");
  cmd->add_option("-m,--model", opts->model, "Model bundle (pelagos train --out)")->required()->check(
      CLI::ExistingFile);
  cmd->add_option("inputs", *inputs, "Audio files or folders (searched recursively)")->required();
  cmd->add_option("--window", opts->window_s, "Window length in seconds (default: one patch of the model)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--hop", opts->hop_s, "Seconds between window starts (default: the window)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--format", opts->format, "csv, or raven (Raven Pro selection table)")
      ->check(CLI::IsMember({"csv", "raven"}))
      ->capture_default_str();
  cmd->add_option("--min-score", opts->min_score, "Only windows whose top probability is at least this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("-o,--out", opts->out, "Output file (default: stdout)");
  cmd->add_option("--weights", opts->weights_path, "The VGGish weights file the model was trained on, if moved");
  add_device_flags(cmd, global.device, global.precision);
  cmd->callback([opts, inputs, &global] {
    opts->files = find_audio_files(*inputs);
    opts->threads = global.threads;
    opts->device = global.device;
    opts->precision = global.precision;
    opts->quiet = global.quiet;
    global.exit_code = call_torch_command("predict", opts.get());
  });
}

}  // namespace pelagos::cli
