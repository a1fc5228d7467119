// Frontends turn 16 kHz mono audio into VGGish input patches of 96 frames x 64
// mel bands. Every parameter lives in FrontendParams, one value type with
// defaults and allowed ranges (the table in src/features/frontend_params.cpp),
// saved into every cache entry and every model so that prediction always uses
// the preprocessing the model was trained with.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/audio.h"

namespace pelagos {

enum class FrontendKind {
  VGGish,  // VGGish's native log-mel: 0.96 s patches, several per clip
  Seed,    // the original Python system's: one patch per 5 s clip
};

// What to do with a clip shorter than one patch (VGGish frontend).
enum class ShortClipPolicy {
  PadToOnePatch,  // default: zero-pad to one patch, so no labelled clip is lost
  Drop,           // the reference's behaviour: 0 patches
};

// Which sample-rate converter brings files to sample_rate.
enum class ResamplerChoice {
  Auto,  // default: Sinc for the seed frontend (what the seed model saw), Soxr for VGGish
  Soxr,
  Sinc,
};

// Optional noise reduction before the mel filterbank.
enum class DenoiseKind {
  Off,           // default
  SpectralGate,  // noisereduce's stationary spectral gating, on the frontend's own STFT
};

// Bumped whenever the numbers a frontend produces change for the same params,
// so cached features made by older code are never reused.
constexpr int kFeatureVersion = 1;

struct FrontendParams {
  FrontendKind kind = FrontendKind::VGGish;
  int sample_rate = 16000;
  int channel = -1;  // -1: mean of channels
  ResamplerChoice resampler = ResamplerChoice::Auto;
  // Shared by both frontends
  int hop_samples = 160;         // 10 ms
  int mel_bands = 64;
  int patch_frames = 96;         // 0.96 s (VGGish); output rows (seed)
  // VGGish frontend
  int window_samples = 400;      // 25 ms periodic Hann
  int fft_size = 512;
  double mel_min_hz = 125.0;
  double mel_max_hz = 7500.0;
  double log_offset = 0.01;
  int patch_hop_frames = 96;     // non-overlapping by default
  ShortClipPolicy short_clip = ShortClipPolicy::PadToOnePatch;
  // Seed frontend (window = FFT size, centred frames, power spectrum)
  double seed_clip_seconds = 5.0;
  int seed_fft_size = 400;
  double seed_mel_min_hz = 0.0;
  double seed_mel_max_hz = 8000.0;
  double seed_log_offset = 1e-6;
  // Spectral gating (both frontends; docs/frontends.md). Per frequency bin, a
  // frame is kept where its level in dB exceeds the noise's mean + n_std * std;
  // the 0/1 mask is smoothed in time and frequency, then scaled by prop_decrease.
  // The fields below enter to_json() (and so the fingerprint) only when denoise
  // is on, so caches and bundles made without it keep their keys.
  DenoiseKind denoise = DenoiseKind::Off;
  double denoise_n_std = 1.5;           // threshold above the noise mean, in noise std
  double denoise_quiet_fraction = 0.2;  // noise estimate: the clip's quietest frames (by mean dB)
  double denoise_time_smooth_ms = 50;   // mask smoothing (triangular half-width) in time ...
  double denoise_freq_smooth_hz = 500;  // ... and in frequency
  double denoise_prop_decrease = 1.0;   // 1: gated bins removed; 0: nothing changes
  // A fixed noise estimate (from --noise-file; see noise_profile_from_file):
  // per-FFT-bin mean and std of the noise's level in dB. Empty: the quiet frames.
  std::vector<double> denoise_noise_mean_db, denoise_noise_std_db;

  nlohmann::json to_json() const;
  static FrontendParams from_json(const nlohmann::json& j);  // throws pelagos::Error on bad fields
  void validate() const;            // throws pelagos::Error naming the field and its range
  std::string fingerprint() const;  // sha256 of the canonical JSON: the cache key part

  // How to decode files for this frontend: channel, sample_rate, resolved resampler.
  AudioReadOptions audio_options() const;
  // Samples one VGGish patch spans: (patch_frames - 1) * hop + window (15600 by default).
  int64_t patch_samples() const;
  // Samples of one seed clip: round(seed_clip_seconds * sample_rate) (80000 by default).
  int64_t seed_clip_samples() const;
};

const char* to_string(FrontendKind kind);        // "vggish" | "seed"
const char* to_string(ShortClipPolicy policy);   // "pad" | "drop"
const char* to_string(ResamplerChoice choice);    // "auto" | "soxr" | "sinc"
const char* to_string(DenoiseKind kind);          // "off" | "spectral-gate"

// The numeric denoise_* fields (for CLI flags and search spaces): name, help, default, range.
struct DenoiseField {
  const char* name;
  const char* help;
  double default_value, lo, hi;
};
std::vector<DenoiseField> denoise_fields();

// Patches in C order: count x frames x bands, float32.
struct Patches {
  int64_t count = 0;
  int frames = 96;
  int bands = 64;
  std::vector<float> data;
  std::vector<double> start_s;  // start time of each patch in the clip
};

// Computes patches from mono audio at params.sample_rate (LibTorch FFT; lives in pelagos_torch).
// Does not change LibTorch's thread settings: callers choose them.
Patches compute_patches(const std::vector<float>& samples, const FrontendParams& params);

// Sets params' fixed noise estimate (denoise_noise_mean_db/std_db) from a
// recording of the noise alone, through the frontend's own STFT (pelagos_torch).
// Throws pelagos::Error naming the file when it cannot be read or is too short.
void set_noise_profile_from_file(FrontendParams& params, const std::string& noise_file);

}  // namespace pelagos
