// Options of `pelagos evaluate`, filled by the CLI (src/cli/cmd_evaluate.cpp)
// and run in pelagos_torch (evaluate_command.cpp). Torch-free.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pelagos/dataset.h"
#include "pelagos/report.h"
#include "train/metrics.h"

namespace pelagos {

struct EvaluateCommandOptions {
  std::string model;
  std::string weights_path;  // overrides the base weights path the model recorded
  DatasetOptions dataset;    // splits = {split}
  std::string split = "test";
  std::string json_out;      // empty: none
  std::string csv_out;       // empty: none
  std::string report_out;    // HTML report; empty: default_report_path(model, split)
  bool no_report = false;
  std::string cache_dir;
  int threads = 0;
  std::string device = "auto";
  std::string precision = "float32";  // float32 | bfloat16 (src/model/precision.h)
  bool quiet = false;
};

struct Evaluation {
  ClassificationMetrics metrics;
  // evaluate's JSON: the metrics, per-clip predictions, the model's metadata as
  // "model_info" and the dataset summary as "dataset_summary".
  nlohmann::json json;
};
Evaluation evaluate_model(const EvaluateCommandOptions& options);

// Prints the metrics table, writes the JSON/CSV asked for and the HTML report
// (with `study` when given, else the study the model records, if found).
void publish_evaluation(const EvaluateCommandOptions& options, const Evaluation& evaluation,
                        std::optional<StudySnapshot> study);

// "M.pelagos" -> "M.<split>.report.html" beside the model.
std::string default_report_path(const std::string& model, const std::string& split);

int run_evaluate(const EvaluateCommandOptions& options);

}  // namespace pelagos
