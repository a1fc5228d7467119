#include "predict/window_predictor.h"

#include <ATen/ATen.h>

#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "features/patch_stream.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "predict/inference.h"

namespace pelagos {
namespace {

constexpr double kEps = 1e-6;  // patch starts are computed in double from sample counts

}  // namespace

double patch_seconds(const FrontendParams& p) {
  if (p.kind == FrontendKind::Seed) return p.seed_clip_seconds;
  return double(p.patch_frames) * p.hop_samples / p.sample_rate;
}

WindowPredictor::WindowPredictor(LoadedModel& model, InferenceTarget target, double window_s, double hop_s,
                                 int64_t chunk_samples)
    : model_(model),
      target_(target),
      patch_s_(patch_seconds(model.info.frontend)),
      window_s_(window_s > 0 ? window_s : patch_s_),
      hop_s_(hop_s > 0 ? hop_s : window_s_),
      chunk_samples_(chunk_samples) {
  if (window_s_ + kEps < patch_s_)
    throw Error(fmt::format("--window {}: shorter than one patch of this model ({} s); use at least {}", window_s_,
                            patch_s_, patch_s_));
}

void WindowPredictor::flush(double horizon_s, double duration_s,
                            const std::function<void(const WindowPrediction&)>& emit) {
  const int64_t classes = static_cast<int64_t>(model_.info.labels.size());
  for (;; ++next_window_) {
    const double start = double(next_window_) * hop_s_;
    const double last_patch_start = start + window_s_ - patch_s_;  // latest start of a patch inside
    if (horizon_s <= last_patch_start + kEps) break;               // a later patch may still belong
    if (pending_.empty() && std::isinf(horizon_s)) break;
    while (!pending_.empty() && pending_.front().start_s < start - kEps) pending_.pop_front();
    std::vector<torch::Tensor> rows;
    for (const auto& p : pending_) {
      if (p.start_s > last_patch_start + kEps) break;
      rows.push_back(p.logits);
    }
    if (rows.empty()) {
      if (pending_.empty()) break;  // nothing buffered: wait for more patches
      continue;                     // a gap (windows between patches): skip it
    }
    WindowPrediction w;
    w.start_s = start;
    w.end_s = duration_s > start ? std::min(start + window_s_, duration_s) : start + window_s_;
    w.decision = decide_clip(torch::stack(rows).view({-1, classes}), model_.info.params.clip_aggregation);
    emit(w);
  }
}

void WindowPredictor::run(const std::string& path, const std::function<void(const WindowPrediction&)>& emit) {
  const FrontendParams& fp = model_.info.frontend;
  AudioReadOptions ro;
  ro.channel = fp.channel;
  ro.target_rate = fp.sample_rate;
  AudioStream audio(path, ro);
  PatchStream patches(fp);
  pending_.clear();
  next_window_ = 0;

  std::vector<float> chunk;
  Patches out;
  // Whole batches only until the end: the rest waits for the next chunk, so
  // every batch has one shape and oneDNN reuses its kernels and buffers.
  auto score = [&](bool final) {
    const int64_t n = final ? out.count : out.count / kInferenceBatch * kInferenceBatch;
    if (n == 0) return;
    torch::Tensor x = torch::from_blob(out.data.data(), {n, 1, out.frames, out.bands}, torch::kFloat32);
    torch::Tensor logits = infer_logits(model_, x, target_);
    for (int64_t i = 0; i < n; ++i) pending_.push_back({out.start_s[size_t(i)], logits[i]});
    out.data.erase(out.data.begin(), out.data.begin() + n * int64_t(out.frames) * out.bands);
    out.start_s.erase(out.start_s.begin(), out.start_s.begin() + n);
    out.count -= n;
  };
  const double unknown_end = std::numeric_limits<double>::infinity();
  for (;;) {
    chunk.clear();
    if (audio.read(chunk, static_cast<size_t>(chunk_samples_)) == 0) break;
    patches.push(chunk.data(), chunk.size(), out);
    score(false);
    if (!pending_.empty()) flush(pending_.back().start_s, unknown_end, emit);
  }
  patches.finish(out);
  score(true);
  const double duration = double(patches.samples_pushed()) / fp.sample_rate;
  flush(std::numeric_limits<double>::infinity(), duration, emit);
}

}  // namespace pelagos
