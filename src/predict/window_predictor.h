// Sliding-window prediction over recordings of any length, in constant memory:
// audio chunks (AudioStream) -> patches (PatchStream) -> logits -> windows.
// A window [k*hop, k*hop + window) aggregates the patches lying wholly inside
// it (the model's clip aggregation); it is emitted as soon as no later patch
// can belong to it.
#pragma once
#include <deque>
#include <functional>
#include <string>

#include <torch/types.h>

#include "model/bundle.h"
#include "predict/inference.h"
#include "train/clip_decisions.h"

namespace pelagos {

struct WindowPrediction {
  double start_s = 0, end_s = 0;
  ClipDecision decision;
};

// Seconds one patch spans: 0.96 s (VGGish), seed_clip_seconds (seed).
double patch_seconds(const FrontendParams& params);

class WindowPredictor {
 public:
  // window_s/hop_s <= 0: one patch length. Throws pelagos::Error when window_s is
  // shorter than a patch. `model` must be prepared (prepare_for_inference).
  WindowPredictor(LoadedModel& model, InferenceTarget target, double window_s, double hop_s,
                  int64_t chunk_samples = 16000 * 60);

  double window_s() const { return window_s_; }
  double hop_s() const { return hop_s_; }

  // Streams one file. Throws pelagos::Error (naming the file) when it cannot be decoded.
  void run(const std::string& path, const std::function<void(const WindowPrediction&)>& emit);

 private:
  struct ScoredPatch {
    double start_s;
    torch::Tensor logits;  // (classes)
  };
  // Emits windows [next_window_, ...) that are complete given patches starting up to `horizon_s`.
  void flush(double horizon_s, double duration_s, const std::function<void(const WindowPrediction&)>& emit);

  LoadedModel& model_;
  InferenceTarget target_;
  double patch_s_, window_s_, hop_s_;
  int64_t chunk_samples_;
  std::deque<ScoredPatch> pending_;
  int64_t next_window_ = 0;
};

}  // namespace pelagos
