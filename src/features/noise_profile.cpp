// --noise-file: the spectral gate's fixed noise estimate, measured with the
// frontend's own STFT so that it matches what the gate sees.
#include <ATen/ops/from_blob.h>
#include <ATen/core/Tensor.h>

#include <fmt/format.h>

#include "features/frontend_specs.h"
#include "features/log_mel.h"
#include "features/noise_profile.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "util/torch_command.h"

namespace pelagos {

void set_noise_profile_from_file(FrontendParams& params, const std::string& noise_file) {
  params.denoise_noise_mean_db.clear();
  params.denoise_noise_std_db.clear();
  params.validate();
  Audio audio = read_audio(noise_file, params.audio_options());
  const LogMel log_mel(log_mel_spec(params));
  const int64_t n = static_cast<int64_t>(audio.samples.size());
  if (log_mel.frames_for(n) < 2)
    throw Error(fmt::format("{}: the noise recording is too short ({} samples at {} Hz); give at least a second "
                            "of noise alone",
                            noise_file, n, params.sample_rate));
  const at::Tensor x = at::from_blob(audio.samples.data(), {n}, at::kFloat);
  const at::Tensor db = level_db(log_mel.spectrum(x), log_mel.spec().power);
  auto [mean, deviation] = mean_and_std(db);
  mean = mean.to(at::kDouble).contiguous();
  deviation = deviation.to(at::kDouble).contiguous();
  params.denoise_noise_mean_db.assign(mean.data_ptr<double>(), mean.data_ptr<double>() + mean.numel());
  params.denoise_noise_std_db.assign(deviation.data_ptr<double>(), deviation.data_ptr<double>() + deviation.numel());
  params.validate();
}

int run_noise_profile(const NoiseProfileRequest& request) {
  set_noise_profile_from_file(*request.params, request.noise_file);
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(noise_profile, pelagos::NoiseProfileRequest, pelagos::run_noise_profile)
