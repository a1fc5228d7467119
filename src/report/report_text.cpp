// The text and JSON forms of the report: the same facts as the HTML page, for
// terminals and for scripts.
#include <fmt/format.h>

#include <cmath>

#include "report/importance.h"
#include "report/provenance.h"
#include "report/study_view.h"

namespace pelagos {
namespace {

nlohmann::json trial_json(const tune::FrozenTrial& t) {
  nlohmann::json inter = nlohmann::json::object();
  for (const auto& [step, v] : t.intermediate_values) inter[std::to_string(step)] = v;
  return {{"number", t.number},
          {"state", tune::to_string(t.state)},
          {"value", t.value ? nlohmann::json(*t.value) : nlohmann::json()},
          {"params", t.params_json()},
          {"intermediate_values", inter}};
}

}  // namespace

nlohmann::json report_json(const ReportData& data) {
  nlohmann::json j;
  if (data.study) {
    const StudySnapshot& s = *data.study;
    nlohmann::json trials = nlohmann::json::array();
    for (const auto& t : s.trials) trials.push_back(trial_json(t));
    nlohmann::json importance = nlohmann::json::array();
    for (const auto& p : report::param_importance(s.trials))
      importance.push_back({{"param", p.name}, {"epsilon_squared", p.epsilon_squared}, {"share", p.share}, {"groups", p.groups}});
    const auto best = report::best_trial(s);
    j["study"] = {{"name", s.name},
                  {"storage", s.storage},
                  {"direction", tune::to_string(s.direction)},
                  {"trials", trials},
                  {"best_trial", best ? trial_json(*best) : nlohmann::json()},
                  {"importance_method", "first-order variance decomposition (epsilon^2 over value groups)"},
                  {"importance", importance}};
  }
  if (!data.evaluation.is_null()) {
    j["evaluation"] = data.evaluation;
    j["evaluation"].erase("model_info");
    j["evaluation"].erase("dataset_summary");
  }
  if (!data.model.is_null()) j["model"] = data.model;
  if (!data.dataset.is_null()) j["dataset"] = data.dataset;
  nlohmann::json prov = nlohmann::json::object();
  for (const auto& [k, v] : report::provenance_rows(data)) prov[k] = v;
  j["provenance"] = prov;
  j["machine"] = data.machine;
  return j;
}

std::string report_text(const ReportData& data) {
  std::string out = "pelagos report\n";
  if (data.study) {
    const StudySnapshot& s = *data.study;
    out += fmt::format("\nstudy {} ({}): {}\n", s.name, s.storage, report::state_counts(s));
    if (const auto best = report::best_trial(s))
      out += fmt::format("best trial: #{} value {:.4f}\nbest params: {}\n", best->number, *best->value,
                         best->params_json().dump());
    out += "\nhistory (trial, state, value, best so far):\n";
    for (const auto& p : report::optimisation_history(s))
      out += fmt::format("  {:>4}  {:<8}  {:.4f}  {:.4f}\n", p.number, tune::to_string(p.state), p.value, p.best_so_far);
    const auto imp = report::param_importance(s.trials);
    out += "\nhyperparameter importance (first-order variance decomposition, epsilon^2 share):\n";
    if (imp.empty()) out += "  needs at least 3 completed trials with different values\n";
    for (const auto& p : imp) {
      out += fmt::format("  {:<20} {:.3f}  {}\n", p.name, p.share,
                         std::string(static_cast<size_t>(std::lround(p.share * 40)), '#'));
    }
  }
  const nlohmann::json& e = data.evaluation;
  if (e.is_object()) {
    out += fmt::format("\nevaluation on {}: accuracy {:.4f}, balanced accuracy {:.4f}, macro F1 {:.4f}, {} clips\n",
                       e.value("split", std::string("?")), e.value("accuracy", 0.0), e.value("balanced_accuracy", 0.0),
                       e.value("macro_f1", 0.0), e.value("clips", 0));
    const auto labels = e.value("labels", std::vector<std::string>{});
    size_t w = 7;
    for (const auto& l : labels) w = std::max(w, l.size());
    out += fmt::format("  {:<{}}  precision  recall     f1  support\n", "species", w);
    const nlohmann::json per_class = e.value("per_class", nlohmann::json::object());
    for (const auto& l : labels) {
      const auto c = per_class.value(l, nlohmann::json::object());
      out += fmt::format("  {:<{}}  {:9.3f}  {:6.3f}  {:5.3f}  {:7}\n", l, w, c.value("precision", 0.0),
                         c.value("recall", 0.0), c.value("f1", 0.0), c.value("support", 0));
    }
    if (e.contains("confusion_matrix")) {
      out += "  confusion (rows truth, columns predicted):\n";
      const auto cm = e["confusion_matrix"].get<std::vector<std::vector<int>>>();
      for (size_t r = 0; r < cm.size() && r < labels.size(); ++r) {
        out += fmt::format("  {:<{}}", labels[r], w);
        for (int n : cm[r]) out += fmt::format(" {:5}", n);
        out += "\n";
      }
    }
  }
  if (data.dataset.is_object()) {
    out += "\ndataset (files / minutes):\n";
    for (const auto& s : data.dataset.value("splits", nlohmann::json::array())) {
      out += fmt::format("  {}:", s.value("split", std::string()));
      for (const auto& sp : s.value("species", nlohmann::json::array()))
        out += fmt::format("  {} {}/{:.1f}", sp.value("species", std::string()), sp.value("files", 0),
                           sp.value("seconds", 0.0) / 60);
      out += "\n";
    }
  }
  out += "\nprovenance:\n";
  for (const auto& [k, v] : report::provenance_rows(data)) out += fmt::format("  {:<18} {}\n", k, v);
  return out;
}

}  // namespace pelagos
