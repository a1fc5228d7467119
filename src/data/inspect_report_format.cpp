// The inspect report as readable text (tables + findings) and as JSON.
#include <algorithm>
#include <fmt/format.h>

#include "data/dataset_inspect.h"

namespace pelagos {
namespace {

constexpr size_t kFilesListedInText = 10;  // the JSON lists them all

}  // namespace

std::string format_inspect_report(const InspectReport& r) {
  std::string out;
  int total_files = 0;
  double total_seconds = 0;
  for (const auto& [split, per] : r.stats)
    for (const auto& [sp, st] : per) {
      total_files += st.files;
      total_seconds += st.seconds;
    }
  out += fmt::format("Dataset {}\n  {} split{}, {} species, {} readable files, {:.1f} s of audio\n\n", r.root,
                     r.splits.size(), r.splits.size() == 1 ? "" : "s", r.species.size(), total_files,
                     total_seconds);

  // Species x split table: "files (seconds)".
  size_t name_w = std::string("species_name").size();
  for (const auto& sp : r.species) name_w = std::max(name_w, sp.size());
  const size_t col_w = 16;
  out += "Files (total seconds) per species and split\n";
  out += fmt::format("  {:<{}}", "species_name", name_w);
  for (const auto& split : r.splits) out += fmt::format("  {:>{}}", split, col_w);
  out += "\n";
  std::map<std::string, SpeciesStats> totals;
  for (const auto& sp : r.species) {
    out += fmt::format("  {:<{}}", sp, name_w);
    for (const auto& split : r.splits) {
      const SpeciesStats& st = r.stats.at(split).at(sp);
      out += fmt::format("  {:>{}}", fmt::format("{} ({:.1f} s)", st.files, st.seconds), col_w);
      totals[split].files += st.files;
      totals[split].seconds += st.seconds;
    }
    out += "\n";
  }
  out += fmt::format("  {:<{}}", "total", name_w);
  for (const auto& split : r.splits)
    out += fmt::format("  {:>{}}", fmt::format("{} ({:.1f} s)", totals[split].files, totals[split].seconds), col_w);
  out += "\n\n";

  // Sample rates: one row per rate, one column per split.
  std::map<int, bool> rates;
  for (const auto& [split, per] : r.sample_rates)
    for (const auto& [rate, n] : per) rates[rate] = true;
  out += "Sample rates (files per split)\n";
  out += fmt::format("  {:>10}", "rate (Hz)");
  for (const auto& split : r.splits) out += fmt::format("  {:>8}", split);
  out += "\n";
  for (const auto& [rate, unused] : rates) {
    out += fmt::format("  {:>10}", rate);
    for (const auto& split : r.splits) {
      int n = 0;
      auto it = r.sample_rates.find(split);
      if (it != r.sample_rates.end() && it->second.count(rate)) n = it->second.at(rate);
      out += fmt::format("  {:>8}", n);
    }
    out += "\n";
  }
  auto counts = [](const auto& m, const char* suffix) {
    std::string s;
    for (const auto& [k, n] : m) s += fmt::format("{}{}{}: {}", s.empty() ? "" : ", ", k, suffix, n);
    return s.empty() ? std::string("none") : s;
  };
  out += "\nDuration per file (s): min / median / mean / max\n";
  for (const auto& split : r.splits) {
    std::vector<double> d;
    for (const FileCheck& fc : r.files)
      if (fc.readable && fc.clip.split == split) d.push_back(fc.seconds);
    if (d.empty()) continue;
    std::sort(d.begin(), d.end());
    const size_t m = d.size() / 2;
    const double median = d.size() % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
    double sum = 0;
    for (double v : d) sum += v;
    out += fmt::format("  {:<10} {:.2f} / {:.2f} / {:.2f} / {:.2f}\n", split, d.front(), median,
                       sum / double(d.size()), d.back());
  }
  out += fmt::format("\nChannels: {}\nFormats: {}\nEncodings: {}\n", counts(r.channels, " ch"),
                     counts(r.formats, ""), counts(r.encodings, ""));

  out += "\nProblems and notices\n";
  if (r.findings.empty()) out += "  none found\n";
  for (const Finding& f : r.findings) {
    out += fmt::format("  {}: {}\n", f.severity, f.message);
    for (size_t i = 0; i < f.files.size() && i < kFilesListedInText; ++i) out += fmt::format("      {}\n", f.files[i]);
    if (f.files.size() > kFilesListedInText)
      out += fmt::format("      ... and {} more (all are listed with --json)\n", f.files.size() - kFilesListedInText);
  }
  out += r.usable() ? "\nThe dataset is usable.\n" : "\nThe dataset is NOT usable as it is: fix the errors above.\n";
  return out;
}

nlohmann::json inspect_report_json(const InspectReport& r) {
  using nlohmann::json;
  json j;
  j["root"] = r.root;
  j["usable"] = r.usable();
  j["splits"] = r.splits;
  j["species"] = r.species;
  for (const auto& [split, per] : r.stats)
    for (const auto& [sp, st] : per) j["counts"][split][sp] = {{"files", st.files}, {"seconds", st.seconds}};
  for (const auto& [split, per] : r.sample_rates)
    for (const auto& [rate, n] : per) j["sample_rates"][split][std::to_string(rate)] = n;
  for (const auto& [ch, n] : r.channels) j["channels"][std::to_string(ch)] = n;
  j["formats"] = r.formats;
  j["encodings"] = r.encodings;
  j["findings"] = json::array();
  for (const Finding& f : r.findings)
    j["findings"].push_back({{"severity", f.severity}, {"kind", f.kind}, {"message", f.message}, {"files", f.files}});
  j["files"] = json::array();
  for (const FileCheck& fc : r.files) {
    json e = {{"split", fc.clip.split}, {"file_name", fc.clip.file_name}, {"path", fc.clip.path},
              {"species", fc.clip.species}, {"row", fc.clip.row}, {"readable", fc.readable}};
    if (fc.readable) {
      e["sample_rate"] = fc.sample_rate;
      e["channels"] = fc.channels;
      e["format"] = fc.format;
      e["encoding"] = fc.encoding;
      e["seconds"] = fc.seconds;
      e["peak"] = fc.peak;
      e["audio_sha256"] = fc.audio_sha256;
    } else {
      e["error"] = fc.error;
    }
    j["files"].push_back(std::move(e));
  }
  return j;
}

}  // namespace pelagos
