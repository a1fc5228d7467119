#include "features/patch_stream.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/from_blob.h>

#include <algorithm>
#include <stdexcept>

#include "features/frontend_specs.h"
#include "features/seed_patch.h"

namespace pelagos {
namespace {

// Frames per STFT batch: large enough to amortise the call, small enough
// (about 80 s of audio, ~17 MB of spectrum) to keep memory flat.
constexpr int64_t kBlockFrames = 8192;

LogMelSpec spec_for(const FrontendParams& p) {
  p.validate();
  return log_mel_spec(p);
}

}  // namespace

PatchStream::PatchStream(const FrontendParams& params) : params_(params), log_mel_(LogMel::shared(spec_for(params))) {}

void PatchStream::append(const at::Tensor& patch, double start_s, Patches& out) {
  out.frames = params_.patch_frames;
  out.bands = params_.mel_bands;
  const float* p = patch.data_ptr<float>();
  out.data.insert(out.data.end(), p, p + patch.numel());
  out.start_s.push_back(start_s);
  ++out.count;
  ++patches_emitted_;
}

void PatchStream::push(const float* samples, size_t n, Patches& out) {
  if (finished_) throw std::logic_error("PatchStream::push after finish");
  samples_.insert(samples_.end(), samples, samples + n);
  samples_pushed_ += static_cast<int64_t>(n);
  if (params_.kind == FrontendKind::Seed) {
    push_seed(out);
  } else {
    push_vggish(out, false);
  }
}

void PatchStream::push_vggish(Patches& out, bool final) {
  const int64_t hop = params_.hop_samples;
  const int64_t bands = params_.mel_bands;
  int64_t available = log_mel_.frames_for(static_cast<int64_t>(samples_.size()));
  // A gate that estimates the noise from the clip sees whole blocks, whatever
  // the chunking of the input, so streamed and whole-clip patches agree.
  if (log_mel_.spec().gate.estimates_from_clip() && !final) available -= available % kBlockFrames;
  int64_t done = 0;
  while (done < available) {
    const int64_t count = std::min(kBlockFrames, available - done);
    const int64_t span = (count - 1) * hop + params_.window_samples;
    at::Tensor block = at::from_blob(samples_.data() + done * hop, {span}, at::kFloat);
    at::Tensor rows = log_mel_(block).contiguous();
    const float* r = rows.data_ptr<float>();
    frames_.insert(frames_.end(), r, r + rows.numel());
    done += count;
  }
  next_frame_ += done;
  samples_.erase(samples_.begin(), samples_.begin() + done * hop);

  // Emit every patch whose frames are all computed.
  const int64_t per_patch = int64_t(params_.patch_frames) * bands;
  while (next_patch_frame_ + params_.patch_frames <= next_frame_) {
    const int64_t offset = (next_patch_frame_ - frames_base_) * bands;
    at::Tensor patch = at::from_blob(frames_.data() + offset, {per_patch}, at::kFloat);
    append(patch, double(next_patch_frame_) * double(hop) / params_.sample_rate, out);
    next_patch_frame_ += params_.patch_hop_frames;
  }
  // Forget frames no future patch needs.
  const int64_t drop = std::min(next_patch_frame_, next_frame_) - frames_base_;
  if (drop > 0) {
    frames_.erase(frames_.begin(), frames_.begin() + drop * bands);
    frames_base_ += drop;
  }
}

void PatchStream::push_seed(Patches& out) {
  const size_t clip = static_cast<size_t>(params_.seed_clip_samples());
  size_t used = 0;
  while (samples_.size() - used >= clip) {
    append(seed_patch(samples_.data() + used, clip, log_mel_, params_),
           double(patches_emitted_) * params_.seed_clip_seconds, out);
    used += clip;
  }
  samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(used));
}

void PatchStream::finish(Patches& out) {
  if (finished_) return;
  if (params_.kind == FrontendKind::Seed) {
    // The tail clip, or a silent patch for empty input (what the reference gives).
    if (!samples_.empty() || patches_emitted_ == 0)
      append(seed_patch(samples_.data(), samples_.size(), log_mel_, params_),
             double(patches_emitted_) * params_.seed_clip_seconds, out);
  } else {
    if (params_.short_clip == ShortClipPolicy::PadToOnePatch && samples_pushed_ > 0 &&
        samples_pushed_ < params_.patch_samples()) {
      // Shorter than one patch: zero-padding the stream gives the patch the
      // whole zero-padded clip would give.
      const std::vector<float> zeros(static_cast<size_t>(params_.patch_samples() - samples_pushed_), 0.0f);
      push(zeros.data(), zeros.size(), out);
    }
    push_vggish(out, true);  // and the frames a noise-estimating gate held back
  }
  finished_ = true;
  samples_.clear();
  frames_.clear();
}

}  // namespace pelagos
