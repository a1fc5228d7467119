// Training-only augmentation parameters, declared in one table
// (src/train/augment_params.cpp): each augmentation has a probability and a
// range, all draws come from one seed, and nothing here is ever applied to
// validation, test or prediction. Torch-free.
//
// Two kinds, so that the frozen-prefix cache keeps training fast:
// - raw-audio augmentations (background noise, gain, time shift, speed) make
//   `variants` augmented copies of every training clip once; their patches are
//   cached like any others (keyed by these parameters, the seed and the variant
//   number), their prefix too, and epoch e trains on variant e mod (variants + 1)
//   (variant 0 is the clip itself);
// - batch augmentations (SpecAugment masks, mixup) act after the frozen prefix,
//   on the tensors the trainer already holds (log-mel patches when the whole
//   network is trained, otherwise the cached activations).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pelagos {

struct AugmentParams {
  // SpecAugment-style masking on the (time, frequency) axes of each example:
  // with probability specaugment_p, time_masks stripes of up to time_mask_max
  // of the time axis and freq_masks stripes of up to freq_mask_max of the
  // frequency axis are set to the example's mean (a stripe may always be at
  // least one row wide, so masks act on small activation maps too).
  double specaugment_p = 0.0;
  int time_masks = 2;
  double time_mask_max = 0.15;
  int freq_masks = 2;
  double freq_mask_max = 0.15;
  // mixup (Zhang et al. 2018): with probability mixup_p a batch is blended with
  // a shuffled copy of itself, lambda ~ Beta(mixup_alpha, mixup_alpha), and the
  // loss is the same blend of both labels' cross-entropies.
  double mixup_p = 0.0;
  double mixup_alpha = 0.2;
  // Raw audio, per variant of a clip. Added noise at an SNR drawn from
  // [noise_snr_min_db, noise_snr_max_db], from the recordings in noise_dir, or
  // (noise_dir empty) from other training clips' quietest second.
  int variants = 0;
  double noise_p = 0.0;
  double noise_snr_min_db = 5.0;
  double noise_snr_max_db = 20.0;
  std::string noise_dir;
  double gain_p = 0.0;
  double gain_max_db = 6.0;     // uniform in [-max, +max] dB
  double shift_p = 0.0;
  double shift_max_s = 0.5;     // circular shift, uniform in [-max, +max] s
  double speed_p = 0.0;
  double speed_max = 0.1;       // resampled (libsoxr) by a factor in [1 - max, 1 + max]: tempo and pitch
  uint64_t seed = 0;  // with the same seed, the same draws

  bool batch_level() const { return specaugment_p > 0 || mixup_p > 0; }
  bool raw_audio_draws() const;  // any of noise_p, gain_p, shift_p, speed_p above 0
  bool raw_audio() const { return variants > 0 && raw_audio_draws(); }
  // The raw-audio fields and the seed: what the augmented patches depend on.
  nlohmann::json raw_audio_json() const;

  // Every key optional; unknown keys and out-of-range values throw pelagos::Error naming `source` and the key.
  static AugmentParams from_json(const nlohmann::json& j, const std::string& source = "augment");
  nlohmann::json to_json() const;
  void validate(const std::string& source = "augment") const;
  // True when `key` is an AugmentParams field (search spaces route names with it).
  static bool is_key(const std::string& key);
};

// Reads an --augment JSON file (throws pelagos::Error naming the file and the key).
AugmentParams read_augment_params(const std::string& path);

// The fields for CLI flags: name, help, default (as a string), range.
struct AugmentField {
  const char* name;
  const char* help;
  double default_value, lo, hi;
  bool integer;
};
std::vector<AugmentField> augment_fields();

}  // namespace pelagos
