// `pelagos report`: a study, an evaluation and/or a model as one self-contained
// HTML page (or text, or JSON). Torch-free unless --model is given (a bundle is
// a LibTorch archive; its metadata is read through pelagos_torch).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "cli/dataset_flags.h"
#include "model/bundle_info_request.h"
#include "pelagos/error.h"
#include "pelagos/report.h"

namespace pelagos::cli {
namespace {

struct ReportFlags {
  std::string storage, study_name, model, evaluation, out, format = "html";
  DatasetOptions dataset;
};

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("{}: cannot open the evaluation JSON (write one with `pelagos evaluate --json`)", path));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON ({}); expected `pelagos evaluate --json` output", path, e.what()));
  }
}

void run_report(const ReportFlags& f) {
  if (f.storage.empty() != f.study_name.empty())
    throw Error("--storage and --study-name go together: pass both to report a study.");
  if (f.storage.empty() && f.model.empty() && f.evaluation.empty())
    throw Error("nothing to report: pass --storage URL --study-name NAME, --evaluation FILE and/or --model FILE.");
  const ReportFormat format = report_format_from_string(f.format);
  ReportData data;
  if (!f.evaluation.empty()) data.evaluation = read_json_file(f.evaluation);
  if (!f.model.empty()) {
    BundleInfoRequest request{f.model, &data.model};
    call_torch_command("bundle_info", &request);
  }
  if (!f.storage.empty()) {
    data.study = load_study_snapshot(f.storage, f.study_name);
  } else {
    const nlohmann::json model = data.model.is_null() && data.evaluation.is_object()
                                     ? data.evaluation.value("model_info", nlohmann::json())
                                     : data.model;
    data.study = find_recorded_study(model);
  }
  if (!f.dataset.root.empty()) data.dataset = dataset_summary(load_dataset(f.dataset));
  data = complete_report_data(std::move(data));

  std::string out = f.out;
  if (out.empty() && format == ReportFormat::Html) out = "report.html";
  try {
    if (out.empty() || out == "-") {
      std::cout << (format == ReportFormat::Json ? report_json(data).dump(2) + "\n" : report_text(data));
      return;
    }
    write_report(out, data, format);
  } catch (const nlohmann::json::exception& e) {
    // Only hand-edited or foreign inputs get here: name them.
    throw Error(fmt::format("{}: a field has an unexpected type ({}); pass the JSON `pelagos evaluate --json` wrote.",
                            f.evaluation.empty() ? std::string("the study's attributes") : f.evaluation, e.what()));
  }
  std::cerr << fmt::format("report: {}\n", out);
}

}  // namespace

void add_report_command(CLI::App& app, GlobalOptions&) {
  auto f = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand("report", "Write a report of a study, an evaluation and/or a model "
                                               "(self-contained HTML, text or JSON)");
  cmd->footer(
      "Examples:\n"
      "  pelagos report --storage sqlite:///study.db --study-name watkins --evaluation best.test.json -o report.html\n"
      "  pelagos report --model best.pelagos --data watkins\n"
      "  pelagos report --storage sqlite:///study.db --study-name watkins --format text\n"
      "The HTML page needs no network and runs no scripts. `pelagos tune` and `pelagos evaluate` write one\n"
      "by themselves (M.report.html / M.<split>.report.html beside the model M.pelagos).");
  cmd->add_option("--storage", f->storage, "Optuna storage URL of the study (sqlite:///file.db)");
  cmd->add_option("--study-name", f->study_name, "Study to report");
  cmd->add_option("--evaluation", f->evaluation, "`pelagos evaluate --json` output: metrics and confusion matrix")
      ->check(CLI::ExistingFile);
  cmd->add_option("-m,--model", f->model, "Model bundle: its labels, parameters and base weights")
      ->check(CLI::ExistingFile);
  add_dataset_flags(*cmd, f->dataset);
  cmd->get_option("--data")->required(false)->description(
      "Dataset folder to summarise (files and minutes per species and split); default: the one the study "
      "recorded");
  cmd->add_option("--format", f->format, "html, text or json")
      ->check(CLI::IsMember({"html", "text", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", f->out, "Output file; default: report.html for html, stdout for text and json");
  cmd->callback([f] { run_report(*f); });
}

}  // namespace pelagos::cli
