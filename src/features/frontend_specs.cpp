#include "features/frontend_specs.h"

namespace pelagos {

LogMelSpec log_mel_spec(const FrontendParams& p) {
  const bool seed = p.kind == FrontendKind::Seed;
  LogMelSpec s;
  s.fft_size = seed ? p.seed_fft_size : p.fft_size;
  s.window_samples = seed ? p.seed_fft_size : p.window_samples;
  s.hop_samples = p.hop_samples;
  s.center = seed;
  s.power = seed ? 2 : 1;
  s.log_offset = seed ? p.seed_log_offset : p.log_offset;
  s.mel.sample_rate = p.sample_rate;
  s.mel.bands = p.mel_bands;
  s.mel.min_hz = seed ? p.seed_mel_min_hz : p.mel_min_hz;
  s.mel.max_hz = seed ? p.seed_mel_max_hz : p.mel_max_hz;
  s.mel.slopes_in_mel = !seed;
  s.mel.zero_dc = !seed;
  s.gate = spectral_gate_spec(p);
  return s;
}

}  // namespace pelagos
