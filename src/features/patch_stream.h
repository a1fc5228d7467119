// Incremental patch extraction for recordings of any length: feed chunks of
// mono samples at params.sample_rate, get finished patches back, in memory
// bounded by the chunk size plus one patch. compute_patches runs on it too.
//
// VGGish: frames and patches exactly as over the whole signal at once; at the
// end, a clip too short for one patch is zero-padded to one (PadToOnePatch) or
// yields nothing (Drop); a trailing partial patch is dropped, as the reference does.
// Seed: the stream is cut into consecutive seed_clip_seconds clips, one patch
// each (each clip normalised by its own peak); a trailing partial clip is
// zero-padded. For a single clip no longer than seed_clip_seconds this equals
// compute_patches; a longer single clip passed to compute_patches gives the
// reference's one patch of its first seconds instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "features/log_mel.h"
#include "pelagos/frontend.h"

namespace pelagos {

class PatchStream {
 public:
  explicit PatchStream(const FrontendParams& params);  // validates params

  // Appends the patches that these samples complete to `out`.
  void push(const float* samples, size_t n, Patches& out);
  // End of input: short-clip policy / last partial clip. Call once.
  void finish(Patches& out);

  int64_t samples_pushed() const { return samples_pushed_; }
  int64_t patches_emitted() const { return patches_emitted_; }

 private:
  void push_vggish(Patches& out, bool final);
  void push_seed(Patches& out);
  void append(const at::Tensor& patch, double start_s, Patches& out);

  FrontendParams params_;
  LogMel log_mel_;
  std::vector<float> samples_;  // not yet framed; samples_[0] is the start of frame next_frame_
  std::vector<float> frames_;   // log-mel rows not yet emitted; row 0 is frame frames_base_
  int64_t next_frame_ = 0;      // next frame to compute
  int64_t frames_base_ = 0;
  int64_t next_patch_frame_ = 0;
  int64_t samples_pushed_ = 0;
  int64_t patches_emitted_ = 0;
  bool finished_ = false;
};

}  // namespace pelagos
