#include "features/seed_patch.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/upsample_bilinear2d.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pelagos {

at::Tensor seed_patch(const float* samples, size_t n, const LogMel& log_mel, const FrontendParams& p) {
  // The peak is taken over the whole clip, before trimming (as the reference does).
  float peak = 0.0f;
  for (size_t i = 0; i < n; ++i) peak = std::max(peak, std::fabs(samples[i]));
  const size_t keep = static_cast<size_t>(p.seed_clip_samples());
  std::vector<float> clip(keep, 0.0f);
  const size_t copied = std::min(n, keep);
  if (peak > 0.0f) {
    for (size_t i = 0; i < copied; ++i) clip[i] = samples[i] / peak;
  } else {
    std::copy(samples, samples + copied, clip.begin());
  }
  at::Tensor x = at::from_blob(clip.data(), {static_cast<int64_t>(keep)}, at::kFloat);
  at::Tensor logmel = log_mel(x);  // [frames, bands]
  // F.interpolate(bilinear, align_corners=False); the mel axis keeps its size.
  at::Tensor resized = at::upsample_bilinear2d(logmel.unsqueeze(0).unsqueeze(0),
                                               {p.patch_frames, logmel.size(1)}, /*align_corners=*/false);
  return resized.squeeze(0).squeeze(0).contiguous();
}

}  // namespace pelagos
