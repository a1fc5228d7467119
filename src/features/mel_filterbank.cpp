#include "features/mel_filterbank.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pelagos {

bool operator==(const MelFilterbankSpec& a, const MelFilterbankSpec& b) {
  return a.fft_bins == b.fft_bins && a.sample_rate == b.sample_rate && a.bands == b.bands &&
         a.min_hz == b.min_hz && a.max_hz == b.max_hz && a.slopes_in_mel == b.slopes_in_mel &&
         a.zero_dc == b.zero_dc;
}

double hz_to_mel(double hz) { return 1127.0 * std::log1p(hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * std::expm1(mel / 1127.0); }

at::Tensor mel_filterbank(const MelFilterbankSpec& spec) {
  const int bins = spec.fft_bins;
  const int bands = spec.bands;
  // bands + 2 edges equally spaced in mel; filter m spans edges m..m+2.
  const double mel_lo = hz_to_mel(spec.min_hz);
  const double mel_hi = hz_to_mel(spec.max_hz);
  std::vector<double> edge_mel(static_cast<size_t>(bands) + 2), edge_hz(edge_mel.size());
  for (size_t i = 0; i < edge_mel.size(); ++i) {
    edge_mel[i] = mel_lo + (mel_hi - mel_lo) * double(i) / double(bands + 1);
    edge_hz[i] = mel_to_hz(edge_mel[i]);
  }
  const std::vector<double>& edges = spec.slopes_in_mel ? edge_mel : edge_hz;

  at::Tensor fb = at::zeros({bins, bands}, at::kDouble);
  auto w = fb.accessor<double, 2>();
  const double nyquist = spec.sample_rate / 2.0;
  for (int k = 0; k < bins; ++k) {
    const double hz = bins > 1 ? nyquist * double(k) / double(bins - 1) : 0.0;
    const double x = spec.slopes_in_mel ? hz_to_mel(hz) : hz;
    for (int m = 0; m < bands; ++m) {
      const double lo = edges[m], mid = edges[m + 1], hi = edges[m + 2];
      const double rise = (x - lo) / (mid - lo);
      const double fall = (hi - x) / (hi - mid);
      w[k][m] = std::max(0.0, std::min(rise, fall));
    }
  }
  if (spec.zero_dc) fb[0].zero_();
  return fb.to(at::kFloat);
}

}  // namespace pelagos
