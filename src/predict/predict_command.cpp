// `pelagos predict`: every input streamed through the sliding window; rows go
// out as each file finishes. Unreadable files are skipped, listed, and make
// the exit status 1 at the end without stopping the others.
#include "predict/predict_command.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <cmath>

#include "model/precision.h"
#include "model/runtime.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "predict/inference.h"
#include "predict/prediction_table.h"
#include "predict/window_predictor.h"
#include "util/atomic_file.h"
#include "util/progress.h"
#include "util/torch_command.h"

namespace pelagos {

int run_predict(const PredictCommandOptions& options) {
  configure_threads(options.threads);
  const torch::Device device = resolve_device(options.device);
  const Precision precision = parse_precision(options.precision);
  warn_if_slow_precision(precision, device);
  LoadedModel model = load_bundle(options.model, options.weights_path);
  prepare_for_inference(model, {device, precision});
  WindowPredictor predictor(model, {device, precision}, options.window_s, options.hop_s);
  PredictionTable table(options.format == "raven" ? PredictionFormat::Raven : PredictionFormat::Csv,
                        model.info.labels, model.info.frontend);

  std::unique_ptr<AtomicFile> file;
  if (!options.out.empty()) file = std::make_unique<AtomicFile>(options.out);
  auto write = [&](const std::string& text) {
    if (file)
      file->write(text);
    else
      std::cout << text;
  };
  write(table.header());

  std::vector<std::string> skipped;
  int64_t windows = 0, rows = 0;
  // Progress in seconds of audio: long recordings dominate, not the file count.
  double total_s = 0;
  for (const std::string& path : options.files) {
    try {
      total_s += probe_audio(path).duration_s();
    } catch (const Error&) {
      // reported as skipped below
    }
  }
  std::optional<Progress> progress;
  if (!options.quiet) progress.emplace("predict", static_cast<int64_t>(std::ceil(total_s)), "s of audio");
  double done_s = 0;
  for (const std::string& path : options.files) {
    std::string text;  // one file's rows, written only when the whole file was read
    double file_s = 0;
    try {
      predictor.run(path, [&](const WindowPrediction& w) {
        ++windows;
        if (progress && w.end_s > file_s + 1) {
          progress->advance(static_cast<int64_t>(std::floor(done_s + w.end_s) - std::floor(done_s + file_s)));
          file_s = w.end_s;
        }
        const int p = w.decision.predicted;
        if (p < 0 || w.decision.probabilities[size_t(p)] < options.min_score) return;
        text += table.row(path, w);
        ++rows;
      });
    } catch (const Error& e) {
      skipped.push_back(path);
      std::cerr << fmt::format("skipped {}: {}\n", path, e.what());
      continue;
    }
    done_s += file_s;
    write(text);
  }
  if (progress) progress->finish();
  if (file) file->commit();
  if (!options.quiet)
    std::cerr << fmt::format("predict: {} files, {} windows, {} rows{}{}\n", options.files.size() - skipped.size(),
                             windows, rows, options.min_score > 0 ? fmt::format(" (score >= {})", options.min_score) : "",
                             options.out.empty() ? "" : " -> " + options.out);
  if (!skipped.empty()) {
    std::cerr << fmt::format("{} of {} inputs could not be read and were skipped:\n", skipped.size(),
                             options.files.size());
    for (const auto& s : skipped) std::cerr << "  " << s << "\n";
    return kExitUserError;
  }
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(predict, pelagos::PredictCommandOptions, pelagos::run_predict)
