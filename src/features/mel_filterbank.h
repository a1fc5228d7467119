// Triangular HTK-mel filterbanks as a [bins x bands] matrix, so a whole
// spectrogram is mapped to mel bands with one matmul.
#pragma once
#include <ATen/core/Tensor.h>

namespace pelagos {

struct MelFilterbankSpec {
  int fft_bins = 257;           // one-sided FFT bins, evenly spaced from 0 Hz to Nyquist
  double sample_rate = 16000;
  int bands = 64;
  double min_hz = 125;
  double max_hz = 7500;
  // VGGish's mel_features.py interpolates the triangles' slopes on the mel
  // axis and zeroes the DC bin; torchaudio interpolates them in Hz.
  bool slopes_in_mel = true;
  bool zero_dc = true;
};

bool operator==(const MelFilterbankSpec& a, const MelFilterbankSpec& b);

// float32 [fft_bins, bands]; computed in double, then cast.
at::Tensor mel_filterbank(const MelFilterbankSpec& spec);

// HTK mel scale, 1127 ln(1 + f/700) (the same as 2595 log10(1 + f/700)).
double hz_to_mel(double hz);
double mel_to_hz(double mel);

}  // namespace pelagos
