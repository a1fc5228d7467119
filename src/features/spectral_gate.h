// Spectral gating, after the stationary algorithm of the `noisereduce` package
// (Sainburg et al.): per frequency bin, the noise's mean and std of the level in
// dB give a threshold (mean + n_std * std); bins of the signal above it are
// kept, the 0/1 mask is smoothed with a triangular kernel in time and
// frequency, scaled to 1 - prop_decrease .. 1 and multiplied onto the STFT.
// Here it acts on the frontend's magnitude spectrogram, before the mel
// filterbank, so the same code serves training, caching and prediction.
#pragma once
#include <ATen/core/Tensor.h>

#include <utility>
#include <vector>

#include "pelagos/frontend.h"

namespace pelagos {

struct SpectralGateSpec {
  bool enabled = false;
  double n_std = 1.5;
  double quiet_fraction = 0.2;
  int time_smooth_frames = 0;  // kernel half-widths
  int freq_smooth_bins = 0;
  double prop_decrease = 1.0;
  std::vector<double> noise_mean_db, noise_std_db;  // empty: estimate from the quietest frames
  bool estimates_from_clip() const { return enabled && noise_mean_db.empty(); }
};

bool operator==(const SpectralGateSpec& a, const SpectralGateSpec& b);

// From the frontend parameters (hop, FFT size and rate turn ms and Hz into frames and bins).
SpectralGateSpec spectral_gate_spec(const FrontendParams& p);

// Level in dB of a magnitude (power == 1) or power (power == 2) spectrogram.
at::Tensor level_db(const at::Tensor& spectrum, int power);

// Per-row (frequency bin) mean and population std over frames, each [bins, 1].
std::pair<at::Tensor, at::Tensor> mean_and_std(const at::Tensor& db);

// Gates `spectrum` ([bins, frames], |X| or |X|^2 as `power` says) in place.
void spectral_gate(at::Tensor& spectrum, int power, const SpectralGateSpec& spec);

}  // namespace pelagos
