#include "data/dataset_inspect.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <set>
#include <fmt/format.h>
#include <thread>

#include "audio/audio_files.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "util/cpu_count.h"
#include "pelagos/frontend.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

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
    Sha256 hash;
    hash.update(&info.sample_rate, sizeof(info.sample_rate));
    while (true) {
      chunk.clear();
      if (stream.read(chunk, 1 << 16) == 0) break;
      for (float v : chunk) peak = std::max(peak, std::fabs(v));
      hash.update(chunk.data(), chunk.size() * sizeof(float));
    }
    fc.peak = peak;
    fc.audio_sha256 = hash.hex_digest();
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
  unsigned n = threads > 0 ? static_cast<unsigned>(threads) : std::min(8u, static_cast<unsigned>(available_cores()));
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

// Audio files inside the split folders that no metadata row names (often a
// forgotten row, or leftovers of an older version of the dataset).
std::vector<std::string> unlisted_audio(const Dataset& ds) {
  namespace fs = std::filesystem;
  std::set<std::string> listed;
  for (const auto& sd : ds.splits)
    for (const auto& c : sd.clips) listed.insert(fs::path(c.path).lexically_normal().string());
  std::vector<std::string> out;
  for (const auto& sd : ds.splits) {
    std::error_code ec;
    const fs::path dir = fs::path(ds.root) / sd.name;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec) || !has_audio_extension(it->path().filename().string())) continue;
      std::string p = it->path().lexically_normal().string();
      if (!listed.count(p)) out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
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
  const FrontendParams frontend;
  const double patch_seconds =
      opt.patch_seconds > 0 ? opt.patch_seconds : double(frontend.patch_samples()) / frontend.sample_rate;
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
    if (fc.seconds > 0 && fc.seconds < patch_seconds) {
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
                                      short_clips.files.size() == 1 ? " is" : "s are", patch_seconds,
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
  // The same recording under two names: leaks between splits, or two labels for one sound.
  std::map<std::string, std::vector<const FileCheck*>> by_audio;
  for (const FileCheck& fc : r.files)
    if (fc.readable && fc.seconds > 0) by_audio[fc.audio_sha256].push_back(&fc);
  Finding dup{"warning", "duplicate", "", {}};
  size_t groups = 0;
  for (const auto& [hash, same] : by_audio) {
    if (same.size() < 2) continue;
    ++groups;
    std::string line;
    for (const FileCheck* fc : same)
      line += fmt::format("{}{} ({}, {})", line.empty() ? "" : " = ", fc->clip.path, fc->clip.split, fc->clip.species);
    dup.files.push_back(line);
  }
  if (groups > 0) {
    dup.message = fmt::format("{} recording{} appear{} more than once (identical decoded audio); a recording "
                              "in two splits inflates the scores, one under two species confuses training:",
                              groups, groups == 1 ? "" : "s", groups == 1 ? "s" : "");
    r.findings.push_back(dup);
  }
  std::vector<std::string> unlisted = unlisted_audio(ds);
  if (!unlisted.empty())
    r.findings.push_back({"notice", "unlisted",
                          fmt::format("{} audio file{} in the split folders {} not in the metadata and will "
                                      "not be used:", unlisted.size(), unlisted.size() == 1 ? "" : "s",
                                      unlisted.size() == 1 ? "is" : "are"),
                          unlisted});
  for (const auto& w : ds.warnings) r.findings.push_back({"warning", "metadata", w, {}});
  return r;
}

}  // namespace pelagos
