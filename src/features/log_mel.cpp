#include "features/log_mel.h"

// Narrow ATen headers keep this DSP code quick to compile.
#include <ATen/core/Tensor.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/hann_window.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/stft.h>
#include <ATen/ops/view_as_real.h>

#include <mutex>
#include <vector>

namespace pelagos {

bool operator==(const LogMelSpec& a, const LogMelSpec& b) {
  return a.fft_size == b.fft_size && a.window_samples == b.window_samples && a.hop_samples == b.hop_samples &&
         a.center == b.center && a.power == b.power && a.log_offset == b.log_offset && a.mel == b.mel && a.gate == b.gate;
}

LogMel::LogMel(const LogMelSpec& spec) : spec_(spec) {
  spec_.mel.fft_bins = spec.fft_size / 2 + 1;
  window_ = at::hann_window(spec.window_samples, /*periodic=*/true, at::kFloat);
  mel_ = mel_filterbank(spec_.mel);
}

LogMel LogMel::shared(const LogMelSpec& spec) {
  // A study tries few distinct specs; the bound only guards against unbounded growth.
  constexpr size_t kMaxSpecs = 64;
  static std::mutex mutex;
  static auto* built = new std::vector<LogMel>();  // leaked: no tensors freed during static destruction
  LogMelSpec key = spec;
  key.mel.fft_bins = spec.fft_size / 2 + 1;  // as the constructor stores it
  std::lock_guard<std::mutex> lock(mutex);
  for (const LogMel& m : *built)
    if (m.spec_ == key) return m;  // copies share the tensors
  if (built->size() >= kMaxSpecs) built->clear();
  built->emplace_back(spec);
  return built->back();
}

int64_t LogMel::frames_for(int64_t samples) const {
  if (spec_.center) return samples > 0 ? 1 + samples / spec_.hop_samples : 0;
  if (samples < spec_.window_samples) return 0;
  return 1 + (samples - spec_.window_samples) / spec_.hop_samples;
}

at::Tensor LogMel::operator()(const at::Tensor& x) const {
  if (frames_for(x.numel()) == 0) return at::empty({0, mel_.size(1)}, at::kFloat);
  at::Tensor magnitude = spectrum(x);
  spectral_gate(magnitude, spec_.power, spec_.gate);
  at::Tensor mel = at::matmul(magnitude.t(), mel_);  // [frames, bands]
  return mel.add_(spec_.log_offset).log_();
}

at::Tensor LogMel::spectrum(const at::Tensor& x) const {
  at::Tensor input = x;
  if (!spec_.center && spec_.window_samples < spec_.fft_size) {
    // stft centres a short window inside each n_fft frame; pad so that frame t
    // still starts at sample t*hop (only the phase changes, not |X|).
    const int64_t left = (spec_.fft_size - spec_.window_samples) / 2;
    const int64_t right = spec_.fft_size - spec_.window_samples - left;
    input = at::constant_pad_nd(x, {left, right});
  }
  at::Tensor spectrum = at::stft(input, spec_.fft_size, spec_.hop_samples, spec_.window_samples, window_,
                                 spec_.center, "reflect", /*normalized=*/false, /*onesided=*/true,
                                 /*return_complex=*/true);  // [bins, frames]
  return spec_.power == 2 ? at::view_as_real(spectrum).pow(2).sum(-1) : spectrum.abs();
}

}  // namespace pelagos
