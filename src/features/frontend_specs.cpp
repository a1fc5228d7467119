#include "features/frontend_specs.h"

namespace pelagos {

LogMelSpec vggish_log_mel_spec(const FrontendParams& p) {
  LogMelSpec s;
  s.fft_size = p.fft_size;
  s.window_samples = p.window_samples;
  s.hop_samples = p.hop_samples;
  s.center = false;
  s.power = 1;
  s.log_offset = p.log_offset;
  s.mel.sample_rate = p.sample_rate;
  s.mel.bands = p.mel_bands;
  s.mel.min_hz = p.mel_min_hz;
  s.mel.max_hz = p.mel_max_hz;
  s.mel.slopes_in_mel = true;
  s.mel.zero_dc = true;
  return s;
}

LogMelSpec seed_log_mel_spec(const FrontendParams& p) {
  LogMelSpec s;
  s.fft_size = p.seed_fft_size;
  s.window_samples = p.seed_fft_size;
  s.hop_samples = p.hop_samples;
  s.center = true;
  s.power = 2;
  s.log_offset = p.seed_log_offset;
  s.mel.sample_rate = p.sample_rate;
  s.mel.bands = p.mel_bands;
  s.mel.min_hz = p.seed_mel_min_hz;
  s.mel.max_hz = p.seed_mel_max_hz;
  s.mel.slopes_in_mel = false;
  s.mel.zero_dc = false;
  return s;
}

}  // namespace pelagos
