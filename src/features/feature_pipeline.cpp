#include "pelagos/feature_pipeline.h"

#include <ATen/Parallel.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fmt/format.h>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "cache/feature_cache.h"
#include "cache/file_digest.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "util/cpu_count.h"
#include "util/sha256.h"
#include "util/progress.h"

namespace pelagos {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec;
}

double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// CPU time per stage summed over workers, in nanoseconds. CPU rather than wall
// time, so the split stays meaningful on a machine shared with other jobs.
struct StageTimes {
  std::atomic<int64_t> hash{0}, cache{0}, decode{0}, frontend{0};
};

class StageTimer {
 public:
  explicit StageTimer(std::atomic<int64_t>& sink) : sink_(sink), t0_(thread_cpu_ns()) {}
  ~StageTimer() { sink_ += thread_cpu_ns() - t0_; }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  std::atomic<int64_t>& sink_;
  int64_t t0_;
};

struct ClipResult {
  Patches patches;
  bool done = false;
  bool from_cache = false;
  double decoded_s = 0;
  std::optional<std::string> error;
  std::optional<std::string> warning;
};

// One pass over the clips, shared by the workers.
class Pass {
 public:
  Pass(const std::vector<Clip>& clips, const FrontendParams& params, const FeatureOptions& options)
      : clips_(clips), params_(params), options_(options), results_(clips.size()) {
    if (!options.cache_dir.empty()) {
      cache_.emplace(options.cache_dir);
      fingerprint_ = params.fingerprint();
      params_json_ = params.to_json();
      if (options.transform) {
        fingerprint_ = sha256_hex(fingerprint_ + "|transform|" + options.transform_id);
        params_json_["transform"] = options.transform_id;
      }
    }
  }

  void run() {
    const auto t0 = Clock::now();
    const double cpu0 = process_cpu_s();
    const size_t hardware = static_cast<size_t>(available_cores());
    const size_t wanted = options_.threads > 0 ? size_t(options_.threads) : hardware;
    const size_t workers = std::max<size_t>(1, std::min(clips_.size(), wanted));
    const int torch_threads = at::get_num_threads();
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w) pool.emplace_back([this] { work(); });
    report_progress(t0);
    for (auto& t : pool) t.join();
    at::set_num_threads(torch_threads);  // the workers' setting is partly process-wide
    elapsed_s_ = seconds_since(t0);
    cpu_s_ = process_cpu_s() - cpu0;
  }

  ClipFeatures collect() {
    ClipFeatures out;
    out.frames = params_.patch_frames;  // both frontends' patch height
    out.bands = params_.mel_bands;
    FeatureStats& s = out.stats;
    s.clips = int64_t(clips_.size());
    int64_t total = 0;
    for (const auto& r : results_) total += r.patches.count;
    out.data.reserve(size_t(total) * size_t(out.frames) * size_t(out.bands));
    out.offsets.reserve(clips_.size() + 1);
    out.offsets.push_back(0);
    for (size_t i = 0; i < clips_.size(); ++i) {
      ClipResult& r = results_[i];
      if (r.warning) out.warnings.push_back(*r.warning);
      if (r.error) {
        out.errors.push_back({i, clips_[i].path, *r.error});
        ++s.failed;
      } else if (r.done) {
        (r.from_cache ? s.cache_hits : s.computed)++;
        s.decoded_audio_s += r.decoded_s;
        if (r.patches.count > 0) {
          out.frames = r.patches.frames;
          out.bands = r.patches.bands;
        }
        out.data.insert(out.data.end(), r.patches.data.begin(), r.patches.data.end());
        for (int64_t p = 0; p < r.patches.count; ++p) {
          out.patch_clip.push_back(int32_t(i));
          out.patch_label.push_back(clips_[i].label);
          out.patch_start_s.push_back(r.patches.start_s[size_t(p)]);
        }
      }
      r.patches = Patches{};  // release as we go
      out.offsets.push_back(out.patch_count());
    }
    s.corrupt_entries = cache_ ? cache_->corrupt_entries() : 0;
    s.elapsed_s = elapsed_s_;
    s.cpu_s = cpu_s_;
    s.hash_s = double(times_.hash) * 1e-9;
    s.cache_s = double(times_.cache) * 1e-9;
    s.decode_s = double(times_.decode) * 1e-9;
    s.frontend_s = double(times_.frontend) * 1e-9;
    return out;
  }

 private:
  void work() {
    at::set_num_threads(1);
    for (size_t i = next_++; i < clips_.size() && !stop_; i = next_++) {
      ClipResult& r = results_[i];
      try {
        process(clips_[i], r);
        r.done = true;
      } catch (const Error& e) {
        r.error = e.what();
      } catch (const std::exception& e) {
        r.error = fmt::format("{}: {}", clips_[i].path, e.what());
      }
      if (r.error && options_.stop_at_first_error) stop_ = true;
      std::lock_guard<std::mutex> lock(mutex_);
      ++finished_;
      if (r.from_cache) ++hits_;
      progress_.notify_all();
    }
  }

  void process(const Clip& clip, ClipResult& r) {
    std::string file_sha, key;
    if (cache_) {
      {
        StageTimer t(times_.hash);
        file_sha = file_sha256_cached(clip.path, options_.cache_dir);
      }
      key = FeatureCache::key(file_sha, fingerprint_);
      StageTimer t(times_.cache);
      if (auto hit = cache_->load(key)) {
        r.patches = std::move(*hit);
        r.from_cache = true;
        return;
      }
    }
    Audio audio;
    {
      StageTimer t(times_.decode);
      audio = read_audio(clip.path, params_.audio_options());
    }
    if (audio.nonfinite_samples > 0) r.warning = fmt::format(
        "{}: {} NaN/Inf sample(s) replaced by 0; check the recording.", clip.path, audio.nonfinite_samples);
    r.decoded_s = audio.sample_rate > 0 ? double(audio.samples.size()) / audio.sample_rate : 0.0;
    if (options_.transform) {
      StageTimer t(times_.frontend);
      options_.transform(size_t(&clip - clips_.data()), audio.samples);
    }
    {
      StageTimer t(times_.frontend);
      r.patches = compute_patches(audio.samples, params_);
    }
    if (!cache_) return;
    StageTimer t(times_.cache);
    try {
      cache_->store(key, r.patches, params_json_, clip.path, file_sha);
    } catch (const Error& e) {
      // A full disk or a read-only cache must not fail the run: carry on uncached.
      if (!cache_warned_.exchange(true) && !options_.quiet)
        std::cerr << fmt::format("warning: feature cache not written: {}\n", e.what());
    }
  }

  // A bar on a terminal, a line every few seconds in logs (src/util/progress.h).
  void report_progress(Clock::time_point) {
    std::optional<Progress> progress;
    if (!options_.quiet) progress.emplace("features", static_cast<int64_t>(clips_.size()), "clips");
    std::unique_lock<std::mutex> lock(mutex_);
    auto finished = [this] { return finished_ >= clips_.size() || stop_; };
    size_t shown = 0;
    for (bool done = false; !done;) {
      done = progress_.wait_for(lock, std::chrono::milliseconds(200), finished);
      if (progress && finished_ > shown) {
        progress->advance(static_cast<int64_t>(finished_ - shown), fmt::format("{} from cache", hits_));
        shown = finished_;
      }
    }
  }

  const std::vector<Clip>& clips_;
  const FrontendParams& params_;
  const FeatureOptions& options_;
  std::optional<FeatureCache> cache_;
  std::string fingerprint_;
  nlohmann::json params_json_;
  std::vector<ClipResult> results_;  // one slot per clip: workers write disjoint slots
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> cache_warned_{false};
  StageTimes times_;
  std::mutex mutex_;
  std::condition_variable progress_;
  size_t finished_ = 0;
  size_t hits_ = 0;
  double elapsed_s_ = 0;
  double cpu_s_ = 0;
};

std::string describe_errors(const std::vector<ClipError>& errors, size_t clips) {
  std::string text = fmt::format("{} of {} audio file(s) could not be used:", errors.size(), clips);
  for (const auto& e : errors) text += "\n  " + e.message;
  text += "\nFix or remove these files (or their metadata rows) and run again.";
  return text;
}

}  // namespace

ClipFeatures load_features(const std::vector<Clip>& clips, const FrontendParams& params,
                           const FeatureOptions& options) {
  params.validate();
  if (options.transform && options.transform_id.empty())
    throw std::invalid_argument("load_features: a transform needs a transform_id (it keys the cache)");
  Pass pass(clips, params, options);
  pass.run();
  ClipFeatures out = pass.collect();
  if (!options.quiet)
    for (const auto& w : out.warnings) std::cerr << "warning: " << w << "\n";
  if (!out.errors.empty() && options.throw_on_errors) throw Error(describe_errors(out.errors, clips.size()));
  return out;
}

ClipFeatures load_features(const std::vector<std::string>& paths, const FrontendParams& params,
                           const FeatureOptions& options) {
  std::vector<Clip> clips(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    clips[i].file_name = paths[i];
    clips[i].path = paths[i];
  }
  return load_features(clips, params, options);
}

}  // namespace pelagos
