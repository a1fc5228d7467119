// Gathering what a report shows: the study from its storage, a dataset summary
// from audio headers, the machine, and the provenance rows.
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "pelagos/tune/storage.h"
#include "report/provenance.h"
#include "tune/sqlite_url.h"
#include "util/atomic_file.h"

namespace pelagos {

ReportFormat report_format_from_string(const std::string& name) {
  if (name == "html") return ReportFormat::Html;
  if (name == "text") return ReportFormat::Text;
  if (name == "json") return ReportFormat::Json;
  throw Error(fmt::format("report format \"{}\": expected html, text or json", name));
}

StudySnapshot load_study_snapshot(const std::string& storage_url, const std::string& study_name) {
  auto storage = tune::open_storage(storage_url);
  const auto id = storage->find_study(study_name);
  if (!id) {
    std::vector<std::string> names;
    for (const auto& s : storage->list_studies()) names.push_back(s.name);
    throw Error(fmt::format("{}: no study named \"{}\" (studies there: {}).", storage_url, study_name,
                            names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
  }
  StudySnapshot s;
  s.name = study_name;
  s.storage = storage_url;
  s.direction = storage->study_direction(*id);
  s.trials = storage->get_all_trials(*id);
  s.system_attrs = storage->study_system_attrs(*id);
  s.user_attrs = storage->study_user_attrs(*id);
  return s;
}

std::optional<StudySnapshot> find_recorded_study(const nlohmann::json& model_info) {
  const nlohmann::json metrics = model_info.is_object() ? model_info.value("metrics", nlohmann::json()) : nlohmann::json();
  if (!metrics.is_object() || !metrics.contains("storage") || !metrics.contains("study")) return std::nullopt;
  const std::string url = metrics.value("storage", std::string());
  try {
    const auto path = tune::sqlite_path_from_url(url);
    if (!path || *path == ":memory:" || !std::filesystem::exists(*path)) return std::nullopt;
    return load_study_snapshot(url, metrics.value("study", std::string()));
  } catch (const Error&) {
    return std::nullopt;
  }
}

nlohmann::json dataset_summary(const Dataset& dataset) {
  nlohmann::json splits = nlohmann::json::array();
  for (const SplitData& split : dataset.splits) {
    std::map<std::string, std::pair<int, double>> per_species;
    int unreadable = 0;
    for (const Clip& clip : split.clips) {
      auto& entry = per_species[clip.species];
      entry.first += 1;
      try {
        entry.second += probe_audio(clip.path).duration_s();
      } catch (const Error&) {
        ++unreadable;
      }
    }
    nlohmann::json species = nlohmann::json::array();
    for (const auto& [name, stats] : per_species)
      species.push_back({{"species", name}, {"files", stats.first}, {"seconds", stats.second}});
    splits.push_back({{"split", split.name}, {"species", species}, {"unreadable", unreadable}});
  }
  return {{"root", dataset.root}, {"labels", dataset.labels.names}, {"splits", splits}};
}

nlohmann::json machine_info() {
  nlohmann::json m;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) == 0) m["host"] = host;
  utsname u{};
  if (uname(&u) == 0) m["os"] = fmt::format("{} {} {}", u.sysname, u.release, u.machine);
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m["cpu"] = line.substr(line.find_first_not_of(" \t", colon + 1));
      break;
    }
  }
  m["cores"] = std::thread::hardware_concurrency();
  m["pelagos_version"] = PELAGOS_VERSION;
  return m;
}

ReportData complete_report_data(ReportData data) {
  if (data.machine.is_null()) data.machine = machine_info();
  if (data.generated_at.empty()) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    data.generated_at = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  if (data.model.is_null() && data.evaluation.is_object() && data.evaluation.contains("model_info"))
    data.model = data.evaluation["model_info"];
  // The study's summary covers every split; an evaluation's only the one it scored.
  if (data.dataset.is_null() && data.study) {
    auto it = data.study->system_attrs.find(kDatasetSummaryAttr);
    if (it != data.study->system_attrs.end()) data.dataset = it->second;
  }
  if (data.dataset.is_null() && data.evaluation.is_object() && data.evaluation.contains("dataset_summary"))
    data.dataset = data.evaluation["dataset_summary"];
  return data;
}

std::string model_stem(const std::string& model_path) {
  std::filesystem::path p(model_path);
  if (p.extension() == ".pelagos") p.replace_extension();
  return p.string();
}

void write_report(const std::string& path, const ReportData& data, ReportFormat format) {
  std::string text;
  switch (format) {
    case ReportFormat::Html: text = report_html(data); break;
    case ReportFormat::Text: text = report_text(data); break;
    case ReportFormat::Json: text = report_json(data).dump(2) + "\n"; break;
  }
  write_file_atomic(path, text);
}

namespace report {

std::string describe_base_weights(const nlohmann::json& w) {
  if (!w.is_object() || !w.contains("pretrained")) return "unknown";
  if (w.value("pretrained", false))
    return fmt::format("pretrained VGGish weights {} (sha256 {})", w.value("file", std::string("?")),
                       w.value("sha256", std::string("?")));
  return fmt::format("random init (seed {}) \u2014 not pretrained", w.contains("seed") ? w["seed"].dump() : "?");
}

nlohmann::json study_setup(const ReportData& data) {
  if (!data.study) return nullptr;
  auto it = data.study->system_attrs.find("pelagos:setup");
  return it == data.study->system_attrs.end() ? nlohmann::json() : it->second;
}

Rows provenance_rows(const ReportData& data) {
  Rows rows;
  const nlohmann::json setup = study_setup(data);
  const nlohmann::json& eval = data.evaluation;
  const nlohmann::json& model = data.model;
  auto str = [](const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) ? (j[key].is_string() ? j[key].get<std::string>() : j[key].dump())
                                            : std::string();
  };
  std::string root = str(eval, "data");
  if (root.empty()) root = str(setup, "data");
  if (root.empty()) root = str(data.dataset, "root");
  if (!root.empty()) rows.emplace_back("data", root);
  if (data.study)
    rows.emplace_back("study", fmt::format("{} in {}", data.study->name, data.study->storage));
  if (!str(setup, "objective").empty()) rows.emplace_back("chosen on", str(setup, "objective") + " split");
  if (!str(eval, "split").empty()) rows.emplace_back("scored on", str(eval, "split") + " split");
  if (!str(eval, "model").empty()) rows.emplace_back("model", str(eval, "model"));
  nlohmann::json weights = model.is_object() ? model.value("base_weights", nlohmann::json()) : nlohmann::json();
  if (weights.is_null() && setup.is_object()) weights = setup.value("base_weights", nlohmann::json());
  if (!weights.is_null()) rows.emplace_back("base weights", describe_base_weights(weights));
  nlohmann::json frontend = model.is_object() ? model.value("frontend", nlohmann::json()) : nlohmann::json();
  if (frontend.is_null() && setup.is_object()) frontend = setup.value("frontend", nlohmann::json());
  if (!frontend.is_null()) rows.emplace_back("frontend", frontend.dump());
  if (model.is_object() && model.contains("train_params")) rows.emplace_back("model parameters", model["train_params"].dump());
  if (!str(eval, "clip_aggregation").empty()) rows.emplace_back("clip decision", str(eval, "clip_aggregation"));
  if (!str(model, "pelagos_version").empty()) rows.emplace_back("model written by", "pelagos " + str(model, "pelagos_version"));
  rows.emplace_back("report written by", fmt::format("pelagos {}", PELAGOS_VERSION));
  const nlohmann::json& m = data.machine;
  if (m.is_object())
    rows.emplace_back("machine", fmt::format("{} ({}; {}; {} cores)", str(m, "host"), str(m, "os"), str(m, "cpu"),
                                             str(m, "cores")));
  rows.emplace_back("generated", data.generated_at);
  return rows;
}

}  // namespace report
}  // namespace pelagos
