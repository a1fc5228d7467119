// `pelagos evaluate`: clip-level metrics of a model bundle on one split.
#include "train/evaluate_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "model/precision.h"
#include "model/runtime.h"
#include "pelagos/error.h"
#include "predict/inference.h"
#include "train/clip_decisions.h"
#include "train/dataset_patches.h"
#include "train/metrics.h"
#include "util/atomic_file.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

// The dataset's species are numbered by the model's label list; a species the
// model does not know cannot be scored.
std::vector<Clip> clips_in_model_labels(const SplitData& split, const std::vector<std::string>& labels,
                                        const std::string& model_path) {
  std::vector<Clip> clips = split.clips;
  for (Clip& c : clips) {
    auto it = std::find(labels.begin(), labels.end(), c.species);
    if (it == labels.end())
      throw Error(fmt::format("{}: row {}: species \"{}\" is not one the model {} was trained on ({}).",
                              split.metadata_path, c.row, c.species, model_path, fmt::join(labels, ", ")));
    c.label = static_cast<int>(it - labels.begin());
  }
  return clips;
}

}  // namespace

Evaluation evaluate_model(const EvaluateCommandOptions& options) {
  configure_threads(options.threads);
  const torch::Device device = resolve_device(options.device);
  const Precision precision = parse_precision(options.precision);
  warn_if_slow_precision(precision, device);
  LoadedModel model = load_bundle(options.model, options.weights_path);
  prepare_for_inference(model, {device, precision});

  DatasetOptions dopts = options.dataset;
  dopts.splits = {options.split};
  const Dataset dataset = load_dataset(dopts);
  const SplitData* split = dataset.split(options.split);
  if (!split || split->clips.empty())
    throw Error(fmt::format("{}: the dataset has no '{}' clips", dataset.root, options.split));
  const std::vector<Clip> clips = clips_in_model_labels(*split, model.info.labels, options.model);

  const PatchSet set =
      to_patch_set(load_features(clips, model.info.frontend, feature_options(options.cache_dir, options.threads,
                                                                             options.quiet)),
                   clips);
  configure_threads(options.threads);

  const torch::Tensor logits = infer_logits(model, set.patches, {device, precision});
  const std::vector<ClipDecision> decisions = decide_clips(logits, set.clip_begin, model.info.params.clip_aggregation);
  std::vector<int> truth, predicted;
  nlohmann::json per_clip = nlohmann::json::array();
  for (size_t c = 0; c < clips.size(); ++c) {
    truth.push_back(clips[c].label);
    predicted.push_back(decisions[c].predicted);
    const int p = decisions[c].predicted;
    per_clip.push_back({{"file", clips[c].file_name},
                        {"species", clips[c].species},
                        {"predicted", p >= 0 ? nlohmann::json(model.info.labels[p]) : nlohmann::json()},
                        {"probability", p >= 0 ? nlohmann::json(decisions[c].probabilities[p]) : nlohmann::json()}});
  }
  const ClassificationMetrics m = compute_metrics(truth, predicted, model.info.labels);
  nlohmann::json j = m.to_json();
  j["model"] = options.model;
  j["data"] = dataset.root;
  j["split"] = options.split;
  j["clip_aggregation"] = to_string(model.info.params.clip_aggregation);
  j["predictions"] = per_clip;
  j["model_info"] = model.info.to_json();
  j["dataset_summary"] = dataset_summary(dataset);
  return {m, j};
}

std::string default_report_path(const std::string& model, const std::string& split) {
  return model_stem(model) + "." + split + ".report.html";
}

void publish_evaluation(const EvaluateCommandOptions& options, const Evaluation& evaluation,
                        std::optional<StudySnapshot> study) {
  std::cout << evaluation.metrics.to_table();
  if (!options.json_out.empty()) write_file_atomic(options.json_out, evaluation.json.dump(2) + "\n");
  if (!options.csv_out.empty()) write_file_atomic(options.csv_out, evaluation.metrics.to_csv());
  if (options.no_report) return;
  ReportData data;
  data.study = study ? std::move(study) : find_recorded_study(evaluation.json.value("model_info", nlohmann::json()));
  data.evaluation = evaluation.json;
  const std::string path = options.report_out.empty() ? default_report_path(options.model, options.split)
                                                      : options.report_out;
  write_report(path, complete_report_data(std::move(data)), ReportFormat::Html);
  std::cout << fmt::format("report: {}\n", path);
}

int run_evaluate(const EvaluateCommandOptions& options) {
  publish_evaluation(options, evaluate_model(options), std::nullopt);
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(evaluate, pelagos::EvaluateCommandOptions, pelagos::run_evaluate)
