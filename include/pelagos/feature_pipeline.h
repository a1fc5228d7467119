// From labelled clips (or plain files) to log-mel patches: for each clip, a
// feature-cache lookup, else decode + resample + frontend + store. Clips are
// spread over a small pool of workers; each runs LibTorch with one intra-op
// thread, because many small FFTs parallelise better across clips than inside
// one, and one worker's decoding overlaps another's FFTs.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pelagos/dataset.h"
#include "pelagos/frontend.h"

namespace pelagos {

struct FeatureOptions {
  std::string cache_dir;          // pelagos cache root; empty: no caching
  int threads = 0;                // clip workers; <= 0: all cores
  bool quiet = false;             // no progress lines on stderr
  bool stop_at_first_error = false;
  bool throw_on_errors = true;    // after the pass, one pelagos::Error listing every unreadable file
  // Optional change of each clip's decoded samples (at params.sample_rate) before
  // the frontend, e.g. training augmentation; transform_id names it in the cache
  // key. Called from the worker threads, so it must be thread-safe.
  std::function<void(size_t clip, std::vector<float>& samples)> transform;
  std::string transform_id;
};

struct FeatureStats {
  int64_t clips = 0;
  int64_t cache_hits = 0;        // clips served from the cache
  int64_t computed = 0;          // clips decoded and run through the frontend
  int64_t corrupt_entries = 0;   // cache entries found damaged (then recomputed)
  int64_t failed = 0;            // clips that could not be read
  double decoded_audio_s = 0;    // audio duration of the computed clips
  double elapsed_s = 0;          // wall time of the whole pass
  double cpu_s = 0;              // process CPU time during the pass (all threads)
  // Worker CPU time per stage, summed over workers (seconds).
  double hash_s = 0, cache_s = 0, decode_s = 0, frontend_s = 0;
};

struct ClipError {
  size_t clip = 0;
  std::string path;
  std::string message;  // names the file and what to do
};

struct ClipFeatures {
  int frames = 96;
  int bands = 64;
  std::vector<float> data;            // every patch, clip after clip: patch_count() x frames x bands
  std::vector<int64_t> offsets;       // clips + 1 entries: clip i owns patches [offsets[i], offsets[i+1])
  std::vector<int32_t> patch_clip;    // clip index of each patch
  std::vector<int32_t> patch_label;   // Clip::label of each patch (-1 for plain files)
  std::vector<double> patch_start_s;  // start of each patch within its clip
  std::vector<ClipError> errors;      // filled when throw_on_errors is false
  std::vector<std::string> warnings;  // e.g. NaN/Inf samples replaced (also printed unless quiet)
  FeatureStats stats;

  int64_t patch_count() const { return int64_t(patch_clip.size()); }
  int64_t clip_patch_count(size_t clip) const { return offsets[clip + 1] - offsets[clip]; }
  const float* patch(int64_t i) const { return data.data() + i * int64_t(frames) * bands; }
};

ClipFeatures load_features(const std::vector<Clip>& clips, const FrontendParams& params,
                           const FeatureOptions& options = {});
// Unlabelled files (labels -1), e.g. for `pelagos features` and prediction.
ClipFeatures load_features(const std::vector<std::string>& paths, const FrontendParams& params,
                           const FeatureOptions& options = {});

}  // namespace pelagos
