#include "predict/prediction_table.h"

#include <fmt/format.h>

#include "util/csv_field.h"

namespace pelagos {
namespace {

// Raven tables are tab-separated without quoting: keep fields on one column.
std::string tsv_field(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

PredictionTable::PredictionTable(PredictionFormat format, std::vector<std::string> labels,
                                 const FrontendParams& frontend)
    : format_(format), labels_(std::move(labels)) {
  const bool seed = frontend.kind == FrontendKind::Seed;
  low_hz_ = seed ? frontend.seed_mel_min_hz : frontend.mel_min_hz;
  high_hz_ = seed ? frontend.seed_mel_max_hz : frontend.mel_max_hz;
}

std::string PredictionTable::header() const {
  if (format_ == PredictionFormat::Raven)
    return "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\t"
           "Species\tScore\n";
  std::string h = "file,start_s,end_s,species,probability";
  for (const auto& l : labels_) h += "," + csv_field(l);
  return h + "\n";
}

std::string PredictionTable::row(const std::string& file, const WindowPrediction& w) {
  const int p = w.decision.predicted;
  if (p < 0) return "";
  const float score = w.decision.probabilities[size_t(p)];
  if (format_ == PredictionFormat::Raven)
    return fmt::format("{}\tSpectrogram 1\t1\t{:.3f}\t{:.3f}\t{:.1f}\t{:.1f}\t{}\t{}\t{:.4f}\n", ++selection_,
                       w.start_s, w.end_s, low_hz_, high_hz_, tsv_field(file), tsv_field(labels_[size_t(p)]),
                       score);
  std::string r = fmt::format("{},{:.3f},{:.3f},{},{:.4f}", csv_field(file), w.start_s, w.end_s,
                              csv_field(labels_[size_t(p)]), score);
  for (float prob : w.decision.probabilities) r += fmt::format(",{:.4f}", prob);
  return r + "\n";
}

}  // namespace pelagos
