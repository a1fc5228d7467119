// The seed frontend for one clip (shared/reference/frontend/SEED_FRONTEND.md):
// peak-normalise the whole clip, fix it to seed_clip_seconds, power log-mel
// with reflect centring, then bilinear resize of the time axis to patch_frames.
#pragma once
#include <cstddef>

#include <ATen/core/Tensor.h>

#include "features/log_mel.h"
#include "pelagos/frontend.h"

namespace pelagos {

// float32 [patch_frames, mel_bands]. `log_mel` must come from log_mel_spec(p) with p.kind == Seed.
at::Tensor seed_patch(const float* samples, size_t n, const LogMel& log_mel, const FrontendParams& p);

}  // namespace pelagos
