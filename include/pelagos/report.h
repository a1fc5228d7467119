// Reports of a run for people (one self-contained HTML file: inline CSS and
// SVG, no scripts, no network), terminals (text) and scripts (JSON). Built from
// plain data: a study read from its storage, evaluate's JSON, a model bundle's
// metadata and a dataset summary. Torch-free.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/dataset.h"
#include "pelagos/tune/trial.h"

namespace pelagos {

struct StudySnapshot {
  std::string name;
  std::string storage;  // the URL it was read from
  tune::StudyDirection direction = tune::StudyDirection::Maximize;
  std::vector<tune::FrozenTrial> trials;
  std::map<std::string, nlohmann::json> system_attrs, user_attrs;
};

struct ReportData {
  std::optional<StudySnapshot> study;
  nlohmann::json evaluation;  // `pelagos evaluate --json` output, or null
  nlohmann::json model;       // a bundle's metadata (labels, frontend, train_params, base_weights, ...), or null
  nlohmann::json dataset;     // dataset_summary(), or null
  nlohmann::json machine;     // machine_info()
  std::string generated_at;   // UTC, ISO 8601
};

enum class ReportFormat { Html, Text, Json };
// "html" | "text" | "json"; throws pelagos::Error otherwise.
ReportFormat report_format_from_string(const std::string& name);

// Reads a study; throws pelagos::Error naming the storage when it is not there.
StudySnapshot load_study_snapshot(const std::string& storage_url, const std::string& study_name);

// The study a model records (its metrics' "storage" and "study"), when that
// storage is a SQLite file that still exists; nullopt otherwise (never creates one).
std::optional<StudySnapshot> find_recorded_study(const nlohmann::json& model_info);

// Files and seconds per species and split (audio headers only, no decoding).
// Unreadable files are counted apart, not fatal: the report still gets written.
nlohmann::json dataset_summary(const Dataset& dataset);

// Host, OS, CPU model and cores, pelagos version.
nlohmann::json machine_info();

// Fills machine and generated_at; the study's recorded dataset summary and the
// evaluation's model metadata stand in for absent dataset / model parts.
ReportData complete_report_data(ReportData data);

std::string report_html(const ReportData& data);
std::string report_text(const ReportData& data);
nlohmann::json report_json(const ReportData& data);

// Renders and writes atomically.
void write_report(const std::string& path, const ReportData& data, ReportFormat format);

// "dir/M.pelagos" -> "dir/M" (other names unchanged): where files about a model go
// (M.report.html, M.test.json, M.<split>.report.html).
std::string model_stem(const std::string& model_path);

// Study attribute where `pelagos tune` records dataset_summary().
inline constexpr const char* kDatasetSummaryAttr = "pelagos:dataset_summary";

}  // namespace pelagos
