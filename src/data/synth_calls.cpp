#include "data/synth_calls.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace pelagos {
namespace {

constexpr double kTwoPi = 2.0 * M_PI;

// Raised-cosine fade in and out (ramp seconds each side) so calls start without clicks.
double fade(double t, double duration, double ramp) {
  ramp = std::min(ramp, duration / 2);
  if (t < ramp) return 0.5 - 0.5 * std::cos(M_PI * t / ramp);
  if (t > duration - ramp) return 0.5 - 0.5 * std::cos(M_PI * (duration - t) / ramp);
  return 1.0;
}

// Places `count` calls of length `call_s` at random, non-overlapping onsets and
// renders each with `render(start_index, length_in_samples)`.
void place_calls(int count, double call_s, int rate, DemoRng& rng, std::vector<float>& clip,
                 const std::function<void(size_t, size_t)>& render) {
  const double clip_s = double(clip.size()) / rate;
  call_s = std::min(call_s, clip_s * 0.9);
  count = std::max(1, std::min(count, static_cast<int>(clip_s / (call_s * 1.15))));
  const double slack = clip_s - count * call_s;
  // Random gaps that add up to the slack: the timing differs from clip to clip.
  std::vector<double> weights(static_cast<size_t>(count) + 1);
  double total = 0;
  for (auto& w : weights) total += (w = rng.uniform(0.2, 1.0));
  double t = 0;
  for (int k = 0; k < count; ++k) {
    t += slack * weights[static_cast<size_t>(k)] / total;
    size_t start = static_cast<size_t>(t * rate);
    size_t length = std::min(static_cast<size_t>(call_s * rate), clip.size() - std::min(start, clip.size()));
    render(start, length);
    t += call_s;
  }
}

// A tone whose instantaneous frequency is `freq(t)`, with harmonics of amplitude `harmonics[k]`.
void add_tone(std::vector<float>& clip, size_t start, size_t length, int rate, double amp,
              const std::function<double(double)>& freq, const std::vector<double>& harmonics) {
  const double duration = double(length) / rate;
  double phase = 0;
  for (size_t i = 0; i < length; ++i) {
    double t = double(i) / rate;
    phase += kTwoPi * freq(t) / rate;
    double v = 0;
    for (size_t k = 0; k < harmonics.size(); ++k) v += harmonics[k] * std::sin(double(k + 1) * phase);
    clip[start + i] += static_cast<float>(amp * fade(t, duration, 0.02) * v);
  }
}

void up_sweeps(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double call_s = rng.uniform(0.3, 0.8);
  place_calls(1 + rng.below(3), call_s, rate, rng, clip, [&](size_t start, size_t length) {
    double f0 = rng.uniform(500, 1100), f1 = rng.uniform(2300, 3600), d = double(length) / rate;
    add_tone(clip, start, length, rate, rng.uniform(0.7, 1.0),
             [=](double t) { return f0 * std::pow(f1 / f0, t / d); }, {1.0, 0.15});
  });
}

void down_sweeps(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double call_s = rng.uniform(0.3, 0.8);
  place_calls(1 + rng.below(3), call_s, rate, rng, clip, [&](size_t start, size_t length) {
    double f0 = rng.uniform(2500, 3600), f1 = rng.uniform(450, 1000), d = double(length) / rate;
    double bend = rng.uniform(0.6, 1.4);  // concave or convex glide
    add_tone(clip, start, length, rate, rng.uniform(0.7, 1.0),
             [=](double t) { return f1 + (f0 - f1) * std::pow(1.0 - t / d, bend); }, {1.0});
  });
}

void click_trains(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double train_s = rng.uniform(0.3, 1.2);
  const double ici = rng.uniform(0.008, 0.04);  // inter-click interval, steady within a clip
  const double centre = rng.uniform(1500, 3200);
  const double sigma = rng.uniform(0.00012, 0.0003);  // ~0.5-1.3 kHz wide clicks
  place_calls(1 + rng.below(3), train_s, rate, rng, clip, [&](size_t start, size_t length) {
    const double amp = rng.uniform(0.8, 1.0);
    const int half = static_cast<int>(4 * sigma * rate) + 1;
    for (double t = 0; t < double(length) / rate; t += ici * rng.uniform(0.95, 1.05)) {
      long c = static_cast<long>(start) + static_cast<long>(t * rate);
      for (int k = -half; k <= half; ++k) {
        long i = c + k;
        if (i < 0 || i >= static_cast<long>(clip.size())) continue;
        double dt = double(k) / rate;
        clip[static_cast<size_t>(i)] +=
            static_cast<float>(amp * std::exp(-0.5 * dt * dt / (sigma * sigma)) * std::cos(kTwoPi * centre * dt));
      }
    }
  });
}

void harmonic_whistles(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double call_s = rng.uniform(0.4, 1.5);
  place_calls(1 + rng.below(2), call_s, rate, rng, clip, [&](size_t start, size_t length) {
    double f0 = rng.uniform(600, 880), depth = rng.uniform(20, 60), vib = rng.uniform(3, 8);
    double glide = rng.uniform(-80, 80), d = double(length) / rate;
    add_tone(clip, start, length, rate, rng.uniform(0.6, 0.9),
             [=](double t) { return f0 + glide * t / d + depth * std::sin(kTwoPi * vib * t); },
             {1.0, 0.6, 0.4, 0.25});
  });
}

void pulsed_calls(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double call_s = rng.uniform(0.3, 1.0);
  place_calls(1 + rng.below(3), call_s, rate, rng, clip, [&](size_t start, size_t length) {
    double carrier = rng.uniform(1000, 1800), pulse_rate = rng.uniform(15, 45), duty = rng.uniform(0.3, 0.5);
    double amp = rng.uniform(0.7, 1.0);
    for (size_t i = 0; i < length; ++i) {
      double t = double(i) / rate;
      double cycle = std::fmod(t * pulse_rate, 1.0);
      double gate = cycle < duty ? std::sin(M_PI * cycle / duty) : 0.0;  // one Hann-like pulse per cycle
      double v = std::sin(kTwoPi * carrier * t) + 0.5 * std::sin(kTwoPi * 2 * carrier * t);
      clip[start + i] += static_cast<float>(amp * gate * v);
    }
  });
}

void low_moans(int rate, DemoRng& rng, std::vector<float>& clip) {
  const double clip_s = double(clip.size()) / rate;
  place_calls(1, clip_s * rng.uniform(0.6, 0.95), rate, rng, clip, [&](size_t start, size_t length) {
    double f0 = rng.uniform(90, 220), glide = rng.uniform(-0.25, 0.25), d = double(length) / rate;
    double am = rng.uniform(0.5, 2.0);
    std::vector<float> moan(length, 0.0f);
    add_tone(moan, 0, length, rate, rng.uniform(0.7, 1.0),
             [=](double t) { return f0 * (1.0 + glide * t / d); }, {1.0, 0.5, 0.3});
    for (size_t i = 0; i < length; ++i)
      clip[start + i] += moan[i] * static_cast<float>(0.75 + 0.25 * std::sin(kTwoPi * am * double(i) / rate));
  });
}

}  // namespace

const char* call_type_name(CallType type) {
  switch (type) {
    case CallType::UpSweep: return "up-sweeps";
    case CallType::DownSweep: return "down-sweeps";
    case CallType::ClickTrain: return "click trains";
    case CallType::HarmonicWhistle: return "harmonic whistles";
    case CallType::PulsedCall: return "pulsed calls";
    case CallType::LowMoan: return "low moans";
  }
  return "?";
}

void add_calls(CallType type, int rate, DemoRng& rng, std::vector<float>& clip) {
  if (clip.empty()) return;
  switch (type) {
    case CallType::UpSweep: return up_sweeps(rate, rng, clip);
    case CallType::DownSweep: return down_sweeps(rate, rng, clip);
    case CallType::ClickTrain: return click_trains(rate, rng, clip);
    case CallType::HarmonicWhistle: return harmonic_whistles(rate, rng, clip);
    case CallType::PulsedCall: return pulsed_calls(rate, rng, clip);
    case CallType::LowMoan: return low_moans(rate, rng, clip);
  }
}

}  // namespace pelagos
