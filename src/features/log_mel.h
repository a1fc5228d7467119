// Batched log-mel spectrogram shared by both frontends: one STFT over a whole
// block of samples, |X| or |X|^2, one matmul with the mel matrix, log(x + offset).
#pragma once
#include <ATen/core/Tensor.h>

#include "features/mel_filterbank.h"
#include "features/spectral_gate.h"

namespace pelagos {

struct LogMelSpec {
  int fft_size = 512;
  int window_samples = 400;  // periodic Hann, zero-padded to fft_size
  int hop_samples = 160;
  // false: frame t covers samples [t*hop, t*hop + window) (VGGish, no padding);
  // true: reflect-pad fft_size/2 on both sides first (torch.stft center=True).
  bool center = false;
  int power = 1;  // 1: magnitude, 2: power
  double log_offset = 0.01;
  MelFilterbankSpec mel;
  SpectralGateSpec gate;  // noise reduction on the spectrum, before the mel matrix (off by default)
};

bool operator==(const LogMelSpec& a, const LogMelSpec& b);

class LogMel {
 public:
  explicit LogMel(const LogMelSpec& spec);
  // Same as LogMel(spec), but shares the window and mel matrix with earlier
  // calls for an equal spec: building them took about 0.25 ms, as long as the
  // STFT of a 1 s clip. They are never written after construction, so threads may share them.
  static LogMel shared(const LogMelSpec& spec);
  const LogMelSpec& spec() const { return spec_; }
  // Frames produced for `samples` input samples.
  int64_t frames_for(int64_t samples) const;
  // x: 1-D float32. Returns float32 [frames, bands] (frames may be 0).
  // With the gate estimating noise from the clip, one call is one estimate.
  at::Tensor operator()(const at::Tensor& x) const;
  // |X| (power 1) or |X|^2 (power 2), float32 [bins, frames], not gated. frames >= 1.
  at::Tensor spectrum(const at::Tensor& x) const;

 private:
  LogMelSpec spec_;
  at::Tensor window_;
  at::Tensor mel_;  // [fft_size/2 + 1, bands]
};

}  // namespace pelagos
