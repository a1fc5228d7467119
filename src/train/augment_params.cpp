// AugmentParams <-> JSON with validation: the one table of fields and ranges.
// Torch-free (the *_params.cpp rule puts it in pelagos_core).
#include <fmt/format.h>

#include <type_traits>
#include <variant>

#include "pelagos/error.h"
#include "train/augment_params.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

using A = AugmentParams;

struct Field {
  const char* name;
  std::variant<int A::*, double A::*> member;
  double lo, hi;
  const char* help;
};

const Field kFields[] = {
    {"specaugment_p", &A::specaugment_p, 0, 1, "Probability of SpecAugment masking per training example"},
    {"time_masks", &A::time_masks, 0, 16, "SpecAugment: time stripes per masked example"},
    {"time_mask_max", &A::time_mask_max, 0, 1, "SpecAugment: widest time stripe, fraction of the time axis"},
    {"freq_masks", &A::freq_masks, 0, 16, "SpecAugment: frequency stripes per masked example"},
    {"freq_mask_max", &A::freq_mask_max, 0, 1, "SpecAugment: widest frequency stripe, fraction of the axis"},
    {"mixup_p", &A::mixup_p, 0, 1, "Probability of mixup per training batch"},
    {"mixup_alpha", &A::mixup_alpha, 1e-3, 100, "mixup: lambda ~ Beta(alpha, alpha)"},
};
// Raw-audio fields (raw_audio_json lists exactly these, plus noise_dir and the seed).
const Field kRawFields[] = {
    {"variants", &A::variants, 0, 64, "Augmented copies of each training clip (raw-audio augmentations)"},
    {"noise_p", &A::noise_p, 0, 1, "Probability of added background noise per variant"},
    {"noise_snr_min_db", &A::noise_snr_min_db, -20, 80, "Added noise: lowest SNR, dB"},
    {"noise_snr_max_db", &A::noise_snr_max_db, -20, 80, "Added noise: highest SNR, dB"},
    {"gain_p", &A::gain_p, 0, 1, "Probability of a random gain per variant"},
    {"gain_max_db", &A::gain_max_db, 0, 60, "Random gain: uniform in [-max, +max] dB"},
    {"shift_p", &A::shift_p, 0, 1, "Probability of a random circular time shift per variant"},
    {"shift_max_s", &A::shift_max_s, 0, 600, "Time shift: uniform in [-max, +max] seconds"},
    {"speed_p", &A::speed_p, 0, 1, "Probability of a speed (tempo + pitch) change per variant"},
    {"speed_max", &A::speed_max, 0, 0.5, "Speed factor uniform in [1 - max, 1 + max] (libsoxr)"},
};

template <class F>
void for_each_field(F&& f) {
  for (const Field& x : kFields) f(x);
  for (const Field& x : kRawFields) f(x);
}

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& what) {
  throw Error(fmt::format("{}: {}{}", source, key, what));
}

}  // namespace

bool AugmentParams::is_key(const std::string& key) {
  bool found = key == "augment_seed" || key == "noise_dir";
  for_each_field([&](const Field& f) { found = found || key == f.name; });
  return found;
}

nlohmann::json AugmentParams::to_json() const {
  nlohmann::json j = raw_audio_json();
  for (const Field& f : kFields) std::visit([&](auto member) { j[f.name] = this->*member; }, f.member);
  return j;
}

bool AugmentParams::raw_audio_draws() const { return noise_p > 0 || gain_p > 0 || shift_p > 0 || speed_p > 0; }

nlohmann::json AugmentParams::raw_audio_json() const {
  nlohmann::json j;
  for (const Field& f : kRawFields) std::visit([&](auto member) { j[f.name] = this->*member; }, f.member);
  j["noise_dir"] = noise_dir;
  j["augment_seed"] = seed;
  return j;
}

AugmentParams AugmentParams::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw Error(fmt::format("{}: expected a JSON object, got {}", source, j.dump()));
  AugmentParams a;
  for (const auto& item : j.items()) {
    // Named copies, not structured bindings: C++17 lambdas cannot capture bindings (clang refuses).
    const std::string key = item.key();
    const nlohmann::json& v = item.value();
    if (key == "augment_seed") {
      if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
        fail(source, key, fmt::format(" = {}: must be a non-negative integer", v.dump()));
      a.seed = v.get<uint64_t>();
      continue;
    }
    if (key == "noise_dir") {
      if (!v.is_string()) fail(source, key, fmt::format(" = {}: must be a folder path (string)", v.dump()));
      a.noise_dir = v.get<std::string>();
      continue;
    }
    const Field* field = nullptr;
    for_each_field([&](const Field& f) {
      if (key == f.name) field = &f;
    });
    if (!field) {
      std::string known = "augment_seed, noise_dir";
      for_each_field([&](const Field& f) { known += std::string(", ") + f.name; });
      fail(source, key, fmt::format(": unknown augmentation parameter (known: {})", known));
    }
    std::visit(
        [&](auto member) {
          using T = std::remove_reference_t<decltype(a.*member)>;
          if constexpr (std::is_same_v<T, int>) {
            if (!v.is_number_integer()) fail(source, key, fmt::format(" = {}: must be an integer", v.dump()));
            a.*member = v.get<int>();
          } else {
            if (!v.is_number()) fail(source, key, fmt::format(" = {}: must be a number", v.dump()));
            a.*member = v.get<double>();
          }
        },
        field->member);
  }
  a.validate(source);
  return a;
}

void AugmentParams::validate(const std::string& source) const {
  for_each_field([&](const Field& f) {
    std::visit(
        [&](auto member) {
          const double v = static_cast<double>(this->*member);
          if (!(v >= f.lo && v <= f.hi)) fail(source, f.name, fmt::format(" = {:g}: must be {:g}..{:g}", v, f.lo, f.hi));
        },
        f.member);
  });
  if (noise_snr_min_db > noise_snr_max_db)
    fail(source, "noise_snr_min_db", fmt::format(" = {:g}: must not exceed noise_snr_max_db ({:g})", noise_snr_min_db,
                                                 noise_snr_max_db));
  if (raw_audio_draws() && variants == 0)
    fail(source, "variants", " = 0: noise/gain/shift/speed augmentation needs variants >= 1 (augmented copies per clip)");
}

AugmentParams read_augment_params(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON ({}); expected e.g. {{\"mixup_p\": 0.5, \"specaugment_p\": 0.5}}",
                            path, e.what()));
  }
  return AugmentParams::from_json(j, path);
}

std::vector<AugmentField> augment_fields() {
  const AugmentParams defaults;
  std::vector<AugmentField> out;
  for_each_field([&](const Field& f) {
    std::visit(
        [&](auto member) {
          using T = std::remove_cv_t<std::remove_reference_t<decltype(defaults.*member)>>;
          out.push_back({f.name, f.help, static_cast<double>(defaults.*member), f.lo, f.hi, std::is_same_v<T, int>});
        },
        f.member);
  });
  return out;
}

}  // namespace pelagos
