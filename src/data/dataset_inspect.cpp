#include "data/dataset_inspect.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fmt/format.h>
#include <thread>

#include "pelagos/audio.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr size_t kFilesListedInText = 10;

FileCheck check_file(const Clip& clip) {
  FileCheck fc;
  fc.clip = clip;
  try {
    AudioReadOptions native;
    native.target_rate = 0;  // peak at the native rate: no resampler overshoot or smoothing
    AudioStream stream(clip.path, native);
    const AudioInfo& info = stream.info();
    fc.sample_rate = info.sample_rate;
    fc.channels = info.channels;
    fc.format = info.format;
    fc.encoding = info.encoding;
    fc.seconds = info.duration_s();
    std::vector<float> chunk;
    float peak = 0;
    while (true) {
      chunk.clear();
      if (stream.read(chunk, 1 << 16) == 0) break;
      for (float v : chunk) peak = std::max(peak, std::fabs(v));
    }
    fc.peak = peak;
    fc.readable = true;
  } catch (const Error& e) {
    fc.error = e.what();
  }
  return fc;
}

// Decodes every clip on a few threads; results keep the clips' order.
std::vector<FileCheck> check_all(const Dataset& ds, int threads) {
  std::vector<const Clip*> clips;
  for (const auto& sd : ds.splits)
    for (const auto& c : sd.clips) clips.push_back(&c);
  std::vector<FileCheck> out(clips.size());
  unsigned n = threads > 0 ? static_cast<unsigned>(threads) : std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<size_t>(clips.size(), 1)));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < clips.size();) out[i] = check_file(*clips[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

std::string split_counts(const std::map<std::string, int>& by_split, const std::vector<std::string>& order) {
  std::string s;
  for (const auto& split : order) {
    auto it = by_split.find(split);
    if (it == by_split.end()) continue;
    s += fmt::format("{}{} {}", s.empty() ? "" : ", ", split, it->second);
  }
  return s;
}

}  // namespace

bool InspectReport::usable() const {
  return std::none_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == "error"; });
}

InspectReport inspect_dataset(const Dataset& ds, const InspectOptions& opt) {
  if (!(opt.silence_peak > 0 && opt.silence_peak <= 0.5))
    throw Error(fmt::format("silence threshold {} is outside (0, 0.5].", opt.silence_peak));
  if (!(opt.imbalance_ratio > 1))
    throw Error(fmt::format("imbalance ratio {} must be above 1.", opt.imbalance_ratio));
  InspectReport r;
  r.root = ds.root;
  r.species = ds.labels.names;
  for (const auto& sd : ds.splits) {
    r.splits.push_back(sd.name);
    for (const auto& sp : r.species) r.stats[sd.name][sp];  // every species appears, even with 0 files
  }
  r.files = check_all(ds, opt.threads);

  Finding unreadable{"error", "unreadable", "", {}}, silent{"warning", "silent", "", {}},
      empty{"warning", "empty", "", {}}, short_clips{"notice", "short", "", {}};
  std::map<std::string, int> short_by_split;
  for (const FileCheck& fc : r.files) {
    const Clip& c = fc.clip;
    if (!fc.readable) {
      unreadable.files.push_back(fc.error);
      continue;
    }
    SpeciesStats& st = r.stats[c.split][c.species];
    ++st.files;
    st.seconds += fc.seconds;
    ++r.sample_rates[c.split][fc.sample_rate];
    ++r.channels[fc.channels];
    ++r.formats[fc.format];
    ++r.encodings[fc.encoding];
    if (fc.seconds <= 0) {
      empty.files.push_back(c.path);
    } else if (fc.peak < opt.silence_peak) {
      silent.files.push_back(fmt::format("{} (peak {:.2g})", c.path, fc.peak));
    }
    if (fc.seconds > 0 && fc.seconds < opt.patch_seconds) {
      short_clips.files.push_back(fmt::format("{} ({:.2f} s)", c.path, fc.seconds));
      ++short_by_split[c.split];
    }
  }
  if (!unreadable.files.empty()) {
    unreadable.message = fmt::format("{} file{} cannot be decoded; fix or replace them, or remove their rows "
                                     "from the metadata:", unreadable.files.size(),
                                     unreadable.files.size() == 1 ? "" : "s");
    r.findings.push_back(unreadable);
  }
  if (!empty.files.empty()) {
    empty.message = fmt::format("{} file{} hold no samples; they add nothing but zero-padding:",
                                empty.files.size(), empty.files.size() == 1 ? "" : "s");
    r.findings.push_back(empty);
  }
  if (!silent.files.empty()) {
    silent.message = fmt::format("{} file{} silent (peak below {:g}); check the recordings:", silent.files.size(),
                                 silent.files.size() == 1 ? " is" : "s are", opt.silence_peak);
    r.findings.push_back(silent);
  }
  if (!short_clips.files.empty()) {
    short_clips.message = fmt::format("{} clip{} shorter than one {:g} s patch ({}); pelagos zero-pads them "
                                      "to one patch by default.", short_clips.files.size(),
                                      short_clips.files.size() == 1 ? " is" : "s are", opt.patch_seconds,
                                      split_counts(short_by_split, r.splits));
    r.findings.push_back(short_clips);
  }
  for (const auto& split : r.splits) {
    const auto& per = r.stats[split];
    std::string largest, smallest;
    std::vector<std::string> missing;
    for (const auto& [sp, st] : per) {
      if (st.files == 0) {
        missing.push_back(sp);
        continue;
      }
      if (largest.empty() || st.files > per.at(largest).files) largest = sp;
      if (smallest.empty() || st.files < per.at(smallest).files) smallest = sp;
    }
    if (!missing.empty())
      r.findings.push_back({"warning", "missing-class",
                            fmt::format("{}: no readable files of {} species: {}.", split, missing.size(),
                                        fmt::join(missing, ", ")), {}});
    if (!largest.empty() && per.at(largest).files > opt.imbalance_ratio * per.at(smallest).files)
      r.findings.push_back(
          {"warning", "imbalance",
           fmt::format("{}: classes are imbalanced: {} has {} files, {} only {} (ratio {:.1f} > {:g}); "
                       "consider class weights or more recordings of the small class.",
                       split, largest, per.at(largest).files, smallest, per.at(smallest).files,
                       double(per.at(largest).files) / per.at(smallest).files, opt.imbalance_ratio), {}});
  }
  for (const auto& w : ds.warnings) r.findings.push_back({"warning", "metadata", w, {}});
  return r;
}

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
    } else {
      e["error"] = fc.error;
    }
    j["files"].push_back(std::move(e));
  }
  return j;
}

}  // namespace pelagos
