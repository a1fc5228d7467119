#include "train/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace pelagos {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

ClassificationMetrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                      const std::vector<std::string>& labels) {
  if (truth.size() != predicted.size()) throw std::invalid_argument("compute_metrics: size mismatch");
  const int k = static_cast<int>(labels.size());
  ClassificationMetrics m;
  m.labels = labels;
  m.clips = static_cast<int>(truth.size());
  m.per_class.assign(k, {});
  m.confusion.assign(k, std::vector<int>(k, 0));
  int correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    const int t = truth[i], p = predicted[i];
    if (t < 0 || t >= k || p >= k) throw std::invalid_argument("compute_metrics: label out of range");
    m.per_class[t].support++;
    if (p < 0) {
      m.unclassified++;
      continue;
    }
    m.per_class[p].predicted++;
    m.confusion[t][p]++;
    correct += t == p;
  }
  m.accuracy = m.clips ? double(correct) / m.clips : 0.0;
  int recall_classes = 0, f1_classes = 0;
  for (int c = 0; c < k; ++c) {
    ClassMetrics& cm = m.per_class[c];
    const int tp = m.confusion[c][c];
    cm.precision = cm.predicted ? double(tp) / cm.predicted : 0.0;
    cm.recall = cm.support ? double(tp) / cm.support : 0.0;
    cm.f1 = cm.precision + cm.recall > 0 ? 2 * cm.precision * cm.recall / (cm.precision + cm.recall) : 0.0;
    if (cm.support) {
      m.balanced_accuracy += cm.recall;
      ++recall_classes;
    }
    if (cm.support || cm.predicted) {
      m.macro_f1 += cm.f1;
      ++f1_classes;
    }
  }
  if (recall_classes) m.balanced_accuracy /= recall_classes;
  if (f1_classes) m.macro_f1 /= f1_classes;
  return m;
}

nlohmann::json ClassificationMetrics::to_json() const {
  nlohmann::json j;
  j["clips"] = clips;
  j["unclassified"] = unclassified;
  j["accuracy"] = accuracy;
  j["balanced_accuracy"] = balanced_accuracy;
  j["macro_f1"] = macro_f1;
  j["labels"] = labels;
  nlohmann::json per = nlohmann::json::object();
  for (size_t c = 0; c < labels.size(); ++c) {
    const auto& cm = per_class[c];
    per[labels[c]] = {{"precision", cm.precision}, {"recall", cm.recall}, {"f1", cm.f1}, {"support", cm.support}};
  }
  j["per_class"] = per;
  j["confusion_matrix"] = confusion;
  return j;
}

std::string ClassificationMetrics::to_table() const {
  size_t width = 7;
  for (const auto& l : labels) width = std::max(width, l.size());
  std::string out = fmt::format("accuracy: {:.4f}\nbalanced accuracy: {:.4f}\nmacro F1: {:.4f}\nclips: {}\n",
                                accuracy, balanced_accuracy, macro_f1, clips);
  if (unclassified) out += fmt::format("clips without patches (counted wrong): {}\n", unclassified);
  out += fmt::format("\n{:<{}}  precision  recall     f1  support\n", "species", width);
  for (size_t c = 0; c < labels.size(); ++c) {
    const auto& cm = per_class[c];
    out += fmt::format("{:<{}}  {:>9.4f}  {:>6.4f}  {:>5.4f}  {:>7}\n", labels[c], width, cm.precision, cm.recall,
                       cm.f1, cm.support);
  }
  out += "\nconfusion matrix (rows: true species, columns: predicted, in the order above)\n";
  for (size_t c = 0; c < labels.size(); ++c) {
    out += fmt::format("{:<{}} ", labels[c], width);
    for (int v : confusion[c]) out += fmt::format(" {:>4}", v);
    out += "\n";
  }
  return out;
}

std::string ClassificationMetrics::to_csv() const {
  std::string out = "species,precision,recall,f1,support\n";
  for (size_t c = 0; c < labels.size(); ++c) {
    const auto& cm = per_class[c];
    out += fmt::format("{},{:.6f},{:.6f},{:.6f},{}\n", csv_field(labels[c]), cm.precision, cm.recall, cm.f1,
                       cm.support);
  }
  return out;
}

}  // namespace pelagos
