// Prediction outputs, one row per window:
//   csv:   file,start_s,end_s,species,probability,<one column per class>
//   raven: a Raven Pro selection table (tab-separated) with a Begin File column,
//          so one table covers every input.
#pragma once
#include <string>
#include <vector>

#include "pelagos/frontend.h"
#include "predict/window_predictor.h"

namespace pelagos {

enum class PredictionFormat { Csv, Raven };

class PredictionTable {
 public:
  PredictionTable(PredictionFormat format, std::vector<std::string> labels, const FrontendParams& frontend);
  std::string header() const;
  // Empty when the window has no decision.
  std::string row(const std::string& file, const WindowPrediction& w);

 private:
  PredictionFormat format_;
  std::vector<std::string> labels_;
  double low_hz_, high_hz_;  // the frontend's mel range: what the model listened to
  int selection_ = 0;
};

}  // namespace pelagos
