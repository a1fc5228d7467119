// How each frontend maps FrontendParams onto the shared log-mel machinery.
#pragma once
#include "features/log_mel.h"
#include "pelagos/frontend.h"

namespace pelagos {

// VGGish (mel_features.py): periodic Hann window zero-padded to fft_size, no
// centring, |X|, mel slopes on the mel axis with the DC bin zeroed.
// Seed (torchaudio MelSpectrogram defaults): window = FFT size, reflect
// centring, |X|^2, mel slopes in Hz, DC bin kept.
LogMelSpec log_mel_spec(const FrontendParams& p);

}  // namespace pelagos
