// Clip-level classification metrics, as scikit-learn defines them: accuracy,
// balanced accuracy (mean recall over classes present in the truth), macro F1
// (over classes present in truth or predictions), per-class precision/recall/F1
// and support, and the confusion matrix (rows: truth, columns: prediction).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pelagos {

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  int support = 0;    // clips of this class in the truth
  int predicted = 0;  // clips predicted as this class
};

struct ClassificationMetrics {
  std::vector<std::string> labels;
  int clips = 0;
  int unclassified = 0;  // clips without any patch (always counted wrong)
  double accuracy = 0, balanced_accuracy = 0, macro_f1 = 0;
  std::vector<ClassMetrics> per_class;
  std::vector<std::vector<int>> confusion;

  nlohmann::json to_json() const;
  // First line "accuracy: 0.xxxx", then a per-class table and the confusion matrix.
  std::string to_table() const;
  // One row per class: species,precision,recall,f1,support.
  std::string to_csv() const;
};

// truth[i] in [0, labels); predicted[i] in [0, labels) or -1 (no decision).
ClassificationMetrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                      const std::vector<std::string>& labels);

}  // namespace pelagos
