// FrontendParams: one table declares every parameter with its default (the
// struct initialiser) and allowed range; validate(), from_json() and the error
// messages are all driven by it. Compiled into pelagos_core (no tensors).
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/frontend.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

using P = FrontendParams;

struct Field {
  const char* name;
  std::variant<int P::*, double P::*> member;
  double lo, hi;
  const char* help = nullptr;
};

// Ranges are deliberately wide: they catch typos and absurd values; the
// cross-field rules in validate() catch inconsistent combinations.
const Field kFields[] = {
    {"sample_rate", &P::sample_rate, 1000, 384000},
    {"channel", &P::channel, -1, 255},
    {"hop_samples", &P::hop_samples, 1, 16000},
    {"mel_bands", &P::mel_bands, 1, 256},
    {"patch_frames", &P::patch_frames, 1, 10000},
    {"window_samples", &P::window_samples, 16, 65536},
    {"fft_size", &P::fft_size, 16, 65536},
    {"mel_min_hz", &P::mel_min_hz, 0, 192000},
    {"mel_max_hz", &P::mel_max_hz, 1, 192000},
    {"log_offset", &P::log_offset, 1e-12, 10},
    {"patch_hop_frames", &P::patch_hop_frames, 1, 10000},
    {"seed_clip_seconds", &P::seed_clip_seconds, 0.1, 3600},
    {"seed_fft_size", &P::seed_fft_size, 16, 65536},
    {"seed_mel_min_hz", &P::seed_mel_min_hz, 0, 192000},
    {"seed_mel_max_hz", &P::seed_mel_max_hz, 1, 192000},
    {"seed_log_offset", &P::seed_log_offset, 1e-12, 10},
};

// Emitted only when denoise is on (see frontend.h).
const Field kDenoiseFields[] = {
    {"denoise_n_std", &P::denoise_n_std, 0, 20, "Gate threshold above the noise mean, in noise std (dB)"},
    {"denoise_quiet_fraction", &P::denoise_quiet_fraction, 0.001, 1,
     "Fraction of the clip's quietest frames that estimate the noise"},
    {"denoise_time_smooth_ms", &P::denoise_time_smooth_ms, 0, 10000, "Mask smoothing in time, ms"},
    {"denoise_freq_smooth_hz", &P::denoise_freq_smooth_hz, 0, 100000, "Mask smoothing in frequency, Hz"},
    {"denoise_prop_decrease", &P::denoise_prop_decrease, 0, 1,
     "How much of the gated level is removed (1: all, 0: none)"},
};

struct KindName { FrontendKind value; const char* name; };
const KindName kKinds[] = {{FrontendKind::VGGish, "vggish"}, {FrontendKind::Seed, "seed"}};
struct PolicyName { ShortClipPolicy value; const char* name; };
const PolicyName kPolicies[] = {{ShortClipPolicy::PadToOnePatch, "pad"}, {ShortClipPolicy::Drop, "drop"}};
struct ResamplerName { ResamplerChoice value; const char* name; };
const ResamplerName kResamplers[] = {
    {ResamplerChoice::Auto, "auto"}, {ResamplerChoice::Soxr, "soxr"}, {ResamplerChoice::Sinc, "sinc"}};

struct DenoiseName { DenoiseKind value; const char* name; };
const DenoiseName kDenoisers[] = {{DenoiseKind::Off, "off"}, {DenoiseKind::SpectralGate, "spectral-gate"}};

template <class Table, class Value>
const char* name_of(const Table& table, Value value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";
}

std::string number(double v) { return fmt::format("{:g}", v); }

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw Error(fmt::format("frontend.{}{}", field, what));
}

template <class Table>
std::string choices(const Table& table) {
  std::string s;
  for (const auto& e : table) s += (s.empty() ? "" : ", ") + std::string("\"") + e.name + "\"";
  return s;
}

template <class Table, class Value>
Value parse_name(const Table& table, const nlohmann::json& v, const char* field) {
  if (v.is_string())
    for (const auto& e : table)
      if (v.get<std::string>() == e.name) return e.value;
  fail(field, fmt::format(" = {}: must be one of {}", v.dump(), choices(table)));
}

void check_range(const Field& f, double v) {
  if (!(v >= f.lo && v <= f.hi))
    fail(f.name, fmt::format(" = {}: must be {}..{}", number(v), number(f.lo), number(f.hi)));
}

std::vector<double> profile_values(const nlohmann::json& profile, const char* key) {
  const char* field = "denoise_noise_profile";
  if (!profile.contains(key) || !profile[key].is_array())
    fail(field, fmt::format(".{}: missing or not an array of numbers", key));
  std::vector<double> values;
  for (const auto& x : profile[key]) {
    if (!x.is_number()) fail(field, fmt::format(".{}: {} is not a number", key, x.dump()));
    values.push_back(x.get<double>());
  }
  return values;
}

void parse_noise_profile(const nlohmann::json& v, P& p) {
  if (!v.is_object()) fail("denoise_noise_profile", ": expected {\"mean_db\": [...], \"std_db\": [...]}");
  p.denoise_noise_mean_db = profile_values(v, "mean_db");
  p.denoise_noise_std_db = profile_values(v, "std_db");
}

}  // namespace

const char* to_string(FrontendKind kind) { return name_of(kKinds, kind); }
const char* to_string(ShortClipPolicy policy) { return name_of(kPolicies, policy); }
const char* to_string(ResamplerChoice choice) { return name_of(kResamplers, choice); }
const char* to_string(DenoiseKind kind) { return name_of(kDenoisers, kind); }

std::vector<DenoiseField> denoise_fields() {
  const FrontendParams defaults;
  std::vector<DenoiseField> out;
  for (const Field& f : kDenoiseFields)
    out.push_back({f.name, f.help, defaults.*std::get<double P::*>(f.member), f.lo, f.hi});
  return out;
}

AudioReadOptions FrontendParams::audio_options() const {
  AudioReadOptions o;
  o.channel = channel;
  o.target_rate = sample_rate;
  const bool sinc = resampler == ResamplerChoice::Sinc ||
                    (resampler == ResamplerChoice::Auto && kind == FrontendKind::Seed);
  o.resampler = sinc ? ResamplerKind::Sinc : ResamplerKind::Soxr;
  return o;
}

int64_t FrontendParams::patch_samples() const {
  return int64_t(patch_frames - 1) * hop_samples + window_samples;
}

int64_t FrontendParams::seed_clip_samples() const {
  return std::llround(seed_clip_seconds * sample_rate);
}

nlohmann::json FrontendParams::to_json() const {
  nlohmann::json j;
  j["kind"] = to_string(kind);
  j["short_clip"] = to_string(short_clip);
  j["resampler"] = to_string(resampler);
  for (const Field& f : kFields)
    std::visit([&](auto member) { j[f.name] = this->*member; }, f.member);
  if (denoise != DenoiseKind::Off) {
    j["denoise"] = to_string(denoise);
    for (const Field& f : kDenoiseFields)
      std::visit([&](auto member) { j[f.name] = this->*member; }, f.member);
    if (!denoise_noise_mean_db.empty())
      j["denoise_noise_profile"] = {{"mean_db", denoise_noise_mean_db}, {"std_db", denoise_noise_std_db}};
  }
  return j;
}

FrontendParams FrontendParams::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw Error(fmt::format("frontend: expected a JSON object, got {}", j.dump()));
  FrontendParams p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    if (key == "kind") {
      p.kind = parse_name<decltype(kKinds), FrontendKind>(kKinds, v, "kind");
      continue;
    }
    if (key == "short_clip") {
      p.short_clip = parse_name<decltype(kPolicies), ShortClipPolicy>(kPolicies, v, "short_clip");
      continue;
    }
    if (key == "resampler") {
      p.resampler = parse_name<decltype(kResamplers), ResamplerChoice>(kResamplers, v, "resampler");
      continue;
    }
    if (key == "denoise") {
      p.denoise = parse_name<decltype(kDenoisers), DenoiseKind>(kDenoisers, v, "denoise");
      continue;
    }
    if (key == "denoise_noise_profile") {
      parse_noise_profile(v, p);
      continue;
    }
    const Field* field = nullptr;
    for (const Field& f : kFields)
      if (key == f.name) field = &f;
    for (const Field& f : kDenoiseFields)
      if (key == f.name) field = &f;
    if (!field) {
      std::string known = "kind, short_clip, resampler, denoise, denoise_noise_profile";
      for (const Field& f : kFields) known += std::string(", ") + f.name;
      for (const Field& f : kDenoiseFields) known += std::string(", ") + f.name;
      fail(key, fmt::format(": unknown field (known: {}). Check the spelling.", known));
    }
    std::visit(
        [&](auto member) {
          using T = std::remove_reference_t<decltype(p.*member)>;
          if constexpr (std::is_same_v<T, int>) {
            if (!v.is_number_integer())
              fail(key, fmt::format(" = {}: must be an integer", v.dump()));
            check_range(*field, v.get<double>());
            p.*member = v.get<int>();
          } else {
            if (!v.is_number()) fail(key, fmt::format(" = {}: must be a number", v.dump()));
            p.*member = v.get<double>();
          }
        },
        field->member);
  }
  p.validate();
  return p;
}

void FrontendParams::validate() const {
  for (const Field& f : kFields)
    std::visit([&](auto member) { check_range(f, static_cast<double>(this->*member)); }, f.member);
  const double nyquist = sample_rate / 2.0;
  if (fft_size < window_samples)
    fail("fft_size", fmt::format(" = {}: must be at least window_samples ({})", fft_size, window_samples));
  if (mel_min_hz >= mel_max_hz)
    fail("mel_min_hz", fmt::format(" = {}: must be below mel_max_hz ({})", number(mel_min_hz), number(mel_max_hz)));
  if (mel_max_hz > nyquist)
    fail("mel_max_hz", fmt::format(" = {}: must be at most sample_rate / 2 ({})", number(mel_max_hz), number(nyquist)));
  if (seed_mel_min_hz >= seed_mel_max_hz)
    fail("seed_mel_min_hz", fmt::format(" = {}: must be below seed_mel_max_hz ({})", number(seed_mel_min_hz),
                                        number(seed_mel_max_hz)));
  if (seed_mel_max_hz > nyquist)
    fail("seed_mel_max_hz", fmt::format(" = {}: must be at most sample_rate / 2 ({})", number(seed_mel_max_hz),
                                        number(nyquist)));
  for (const Field& f : kDenoiseFields)
    std::visit([&](auto member) { check_range(f, static_cast<double>(this->*member)); }, f.member);
  const size_t bins = size_t((kind == FrontendKind::Seed ? seed_fft_size : fft_size) / 2 + 1);
  if (denoise_noise_mean_db.size() != denoise_noise_std_db.size() ||
      (!denoise_noise_mean_db.empty() && denoise_noise_mean_db.size() != bins))
    fail("denoise_noise_profile", fmt::format(": mean_db and std_db must both have {} values (FFT bins), got {} and "
                                              "{}; make it again with --noise-file",
                                              bins, denoise_noise_mean_db.size(), denoise_noise_std_db.size()));
  if (seed_clip_samples() < seed_fft_size / 2 + 1)
    fail("seed_clip_seconds", fmt::format(" = {}: must span more than half of seed_fft_size ({} samples)",
                                          number(seed_clip_seconds), seed_fft_size));
}

std::string FrontendParams::fingerprint() const {
  // nlohmann::json keeps object keys sorted, so dump() is canonical.
  nlohmann::json j = {{"feature_version", kFeatureVersion}, {"frontend", to_json()}};
  return sha256_hex(j.dump());
}

}  // namespace pelagos
