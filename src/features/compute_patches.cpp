// compute_patches: the whole-clip entry point, run through PatchStream so that
// clips and multi-hour streams share one implementation.
#include <ATen/core/Tensor.h>

#include <algorithm>

#include "features/frontend_specs.h"
#include "features/patch_stream.h"
#include "features/seed_patch.h"
#include "pelagos/frontend.h"

namespace pelagos {
namespace {
constexpr size_t kChunkSamples = size_t(1) << 20;  // bounds the stream's working copy
}

Patches compute_patches(const std::vector<float>& samples, const FrontendParams& params) {
  Patches out;
  out.frames = params.patch_frames;
  out.bands = params.mel_bands;
  if (params.kind == FrontendKind::Seed) {
    // One patch per clip, as the reference: peak over the whole clip, then its first seconds.
    params.validate();
    const LogMel log_mel = LogMel::shared(log_mel_spec(params));
    at::Tensor patch = seed_patch(samples.data(), samples.size(), log_mel, params);
    out.data.assign(patch.data_ptr<float>(), patch.data_ptr<float>() + patch.numel());
    out.start_s.push_back(0.0);
    out.count = 1;
    return out;
  }
  PatchStream stream(params);
  for (size_t pos = 0; pos < samples.size(); pos += kChunkSamples)
    stream.push(samples.data() + pos, std::min(kChunkSamples, samples.size() - pos), out);
  stream.finish(out);
  return out;
}

}  // namespace pelagos
