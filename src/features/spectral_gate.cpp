#include "features/spectral_gate.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/clamp_min.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/log10.h>
#include <ATen/ops/outer.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/topk.h>

#include <algorithm>
#include <cmath>

namespace pelagos {
namespace {

// noisereduce's _smoothing_filter: 1 - |k| / (n + 1) for k in -n..n.
at::Tensor triangle(int n) {
  std::vector<float> w;
  for (int k = -n; k <= n; ++k) w.push_back(1.0f - float(std::abs(k)) / float(n + 1));
  return at::tensor(at::ArrayRef<float>(w));
}

}  // namespace

bool operator==(const SpectralGateSpec& a, const SpectralGateSpec& b) {
  return a.enabled == b.enabled && a.n_std == b.n_std && a.quiet_fraction == b.quiet_fraction &&
         a.time_smooth_frames == b.time_smooth_frames && a.freq_smooth_bins == b.freq_smooth_bins &&
         a.prop_decrease == b.prop_decrease && a.noise_mean_db == b.noise_mean_db && a.noise_std_db == b.noise_std_db;
}

SpectralGateSpec spectral_gate_spec(const FrontendParams& p) {
  SpectralGateSpec s;
  if (p.denoise == DenoiseKind::Off) return s;
  const int fft = p.kind == FrontendKind::Seed ? p.seed_fft_size : p.fft_size;
  s.enabled = true;
  s.n_std = p.denoise_n_std;
  s.quiet_fraction = p.denoise_quiet_fraction;
  // As noisereduce: int(ms / frame step in ms), int(Hz / bin width).
  s.time_smooth_frames = int(p.denoise_time_smooth_ms / (1000.0 * p.hop_samples / p.sample_rate));
  s.freq_smooth_bins = int(p.denoise_freq_smooth_hz / (double(p.sample_rate) / fft));
  s.prop_decrease = p.denoise_prop_decrease;
  s.noise_mean_db = p.denoise_noise_mean_db;
  s.noise_std_db = p.denoise_noise_std_db;
  return s;
}

std::pair<at::Tensor, at::Tensor> mean_and_std(const at::Tensor& db) {
  at::Tensor mean = db.mean(1, /*keepdim=*/true);
  return {mean, (db - mean).pow(2).mean(1, /*keepdim=*/true).sqrt()};
}

at::Tensor level_db(const at::Tensor& spectrum, int power) {
  return at::log10(at::clamp_min(spectrum, 1e-10)).mul_(20.0 / power);
}

void spectral_gate(at::Tensor& spectrum, int power, const SpectralGateSpec& spec) {
  if (!spec.enabled || spectrum.size(1) == 0) return;
  const at::Tensor db = level_db(spectrum, power);  // [bins, frames]
  at::Tensor mean, deviation;
  if (spec.noise_mean_db.empty()) {
    // The frames of least energy stand for the noise. Ranked by linear energy, not
    // by mean dB: a tonal call raises few bins, which a mean of logs hardly sees.
    const int64_t frames = db.size(1);
    const int64_t k = std::clamp<int64_t>(std::llround(spec.quiet_fraction * double(frames)), 1, frames);
    const at::Tensor energy = (power == 2 ? spectrum : spectrum * spectrum).sum(0);
    const at::Tensor quiet = std::get<1>(at::topk(energy, k, 0, /*largest=*/false));
    std::tie(mean, deviation) = mean_and_std(db.index_select(1, quiet));
  } else {
    mean = at::tensor(at::ArrayRef<double>(spec.noise_mean_db), at::kFloat).unsqueeze(1);
    deviation = at::tensor(at::ArrayRef<double>(spec.noise_std_db), at::kFloat).unsqueeze(1);
  }
  at::Tensor mask = db.gt(mean + deviation * spec.n_std).to(at::kFloat);
  if (spec.time_smooth_frames > 0 || spec.freq_smooth_bins > 0) {
    at::Tensor kernel = at::outer(triangle(spec.freq_smooth_bins), triangle(spec.time_smooth_frames));
    kernel.div_(kernel.sum());
    const std::vector<int64_t> stride{1, 1}, padding{spec.freq_smooth_bins, spec.time_smooth_frames};
    mask = at::conv2d(mask.unsqueeze(0).unsqueeze(0), kernel.unsqueeze(0).unsqueeze(0), c10::nullopt, stride, padding)
               .squeeze(0)
               .squeeze(0);
  }
  mask.mul_(spec.prop_decrease).add_(1.0 - spec.prop_decrease);
  spectrum.mul_(power == 2 ? mask * mask : mask);
}

}  // namespace pelagos
