#include "train/audio_augment.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "audio/audio_files.h"
#include "audio/resampler.h"
#include "pelagos/error.h"
#include "train/dataset_patches.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

uint64_t name_hash(const std::string& name) { return std::stoull(sha256_hex(name).substr(0, 16), nullptr, 16); }

double mean_square(const float* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(x[i]) * x[i];
  return n ? s / double(n) : 0.0;
}

// The clip's quietest second (by mean square over 1 s windows, 0.25 s apart); the whole clip when shorter.
std::vector<float> quietest_second(const std::vector<float>& x, int rate) {
  const size_t window = size_t(rate), hop = size_t(rate) / 4;
  if (x.size() <= window) return x;
  size_t best = 0;
  double best_power = INFINITY;
  for (size_t start = 0; start + window <= x.size(); start += hop) {
    const double p = mean_square(x.data() + start, window);
    if (p < best_power) best_power = p, best = start;
  }
  return {x.begin() + std::ptrdiff_t(best), x.begin() + std::ptrdiff_t(best + window)};
}

std::vector<float> change_speed(const std::vector<float>& x, int rate, double factor) {
  // Read as if recorded at rate * factor, written at rate: factor times faster and higher.
  auto resampler = make_resampler(ResamplerKind::Soxr, int(std::lround(rate * factor)), rate);
  std::vector<float> out;
  out.reserve(size_t(double(x.size()) / factor) + 64);
  resampler->process(x.data(), x.size(), out);
  resampler->flush(out);
  return out;
}

}  // namespace

AudioAugmenter::AudioAugmenter(const AugmentParams& params, const std::vector<Clip>& clips,
                               const FrontendParams& frontend)
    : params_(params), clips_(clips), frontend_(frontend) {
  params_.validate();
  if (params_.noise_dir.empty()) {
    std::string names;
    for (const Clip& c : clips) names += c.path + "\n";
    source_id_ = "train-quiet:" + sha256_hex(names);
  } else {
    if (!std::filesystem::is_directory(params_.noise_dir))
      throw Error(fmt::format("noise_dir {}: not a folder; give a folder of noise recordings", params_.noise_dir));
    std::string listing;
    for (const std::string& f : find_audio_files({params_.noise_dir}))
      listing += fmt::format("{}|{}|{}\n", f, std::filesystem::file_size(f),
                             std::filesystem::last_write_time(f).time_since_epoch().count());
    if (listing.empty())
      throw Error(fmt::format("noise_dir {}: no audio files found; add noise recordings or leave noise_dir empty",
                              params_.noise_dir));
    source_id_ = "noise-dir:" + sha256_hex(listing);
  }
}

std::string AudioAugmenter::id(int variant) const {
  return sha256_hex(fmt::format("audio-augment v1|{}|variant {}|{}", params_.raw_audio_json().dump(), variant,
                                source_id_));
}

const std::vector<std::vector<float>>& AudioAugmenter::noise_pool() const {
  std::call_once(pool_once_, [this] {
    const AudioReadOptions read = frontend_.audio_options();
    if (!params_.noise_dir.empty()) {
      for (const std::string& f : find_audio_files({params_.noise_dir})) {
        pool_.push_back(read_audio(f, read).samples);
        pool_clip_.push_back(clips_.size());
      }
      return;
    }
    for (size_t i = 0; i < clips_.size(); ++i) {
      try {
        pool_.push_back(quietest_second(read_audio(clips_[i].path, read).samples, frontend_.sample_rate));
        pool_clip_.push_back(i);
      } catch (const Error&) {
        // An unreadable clip is reported by the feature pass itself.
      }
    }
  });
  return pool_;
}

void AudioAugmenter::apply(size_t clip, int variant, std::vector<float>& samples) const {
  const uint64_t h = name_hash(clips_[clip].path);
  std::seed_seq seq{uint32_t(params_.seed), uint32_t(params_.seed >> 32), uint32_t(variant), uint32_t(h),
                    uint32_t(h >> 32)};
  std::mt19937_64 rng(seq);
  auto chance = [&](double p) { return p > 0 && std::bernoulli_distribution(p)(rng); };
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  const int rate = frontend_.sample_rate;

  if (chance(params_.speed_p) && !samples.empty())
    samples = change_speed(samples, rate, uniform(1.0 - params_.speed_max, 1.0 + params_.speed_max));
  if (chance(params_.shift_p) && !samples.empty()) {
    const double s = uniform(-params_.shift_max_s, params_.shift_max_s) * rate;
    const int64_t n = int64_t(samples.size());
    const int64_t by = ((int64_t(std::llround(s)) % n) + n) % n;
    std::rotate(samples.begin(), samples.begin() + std::ptrdiff_t(n - by), samples.end());
  }
  if (chance(params_.gain_p)) {
    const float g = float(std::pow(10.0, uniform(-params_.gain_max_db, params_.gain_max_db) / 20.0));
    for (float& x : samples) x *= g;
  }
  if (chance(params_.noise_p)) {
    const double snr_db = uniform(params_.noise_snr_min_db, params_.noise_snr_max_db);
    const auto& pool = noise_pool();
    if (pool.empty() || samples.empty()) return;
    size_t pick = std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng);
    if (pool_clip_[pick] == clip && pool.size() > 1) pick = (pick + 1) % pool.size();  // another clip's noise
    const std::vector<float>& noise = pool[pick];
    if (noise.empty()) return;
    const size_t offset = std::uniform_int_distribution<size_t>(0, noise.size() - 1)(rng);
    double noise_power = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      const double v = noise[(offset + i) % noise.size()];
      noise_power += v * v;
    }
    noise_power /= double(samples.size());
    const double signal_power = mean_square(samples.data(), samples.size());
    if (noise_power <= 0 || signal_power <= 0) return;
    const float k = float(std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0))));
    for (size_t i = 0; i < samples.size(); ++i) samples[i] += k * noise[(offset + i) % noise.size()];
  }
}

std::vector<PatchSet> augmented_variants(const Dataset& dataset, const std::string& split,
                                         const FrontendParams& frontend, const AugmentParams& params,
                                         const FeatureOptions& options) {
  std::vector<PatchSet> out;
  if (!params.raw_audio()) return out;
  const SplitData* data = dataset.split(split);
  if (!data || data->clips.empty()) return out;
  const AudioAugmenter augmenter(params, data->clips, frontend);
  for (int v = 1; v <= params.variants; ++v) {
    FeatureOptions fo = options;
    fo.transform = [&augmenter, v](size_t clip, std::vector<float>& samples) { augmenter.apply(clip, v, samples); };
    fo.transform_id = augmenter.id(v);
    out.push_back(to_patch_set(load_features(data->clips, frontend, fo), data->clips));
  }
  return out;
}

}  // namespace pelagos
