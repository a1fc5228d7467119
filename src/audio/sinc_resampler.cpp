#include "audio/sinc_resampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace pelagos {

SincResampler::SincResampler(int in_rate, int out_rate, const SincResamplerSpec& spec) {
  const int64_t g = std::gcd(int64_t(in_rate), int64_t(out_rate));
  orig_ = in_rate / g;
  new_ = out_rate / g;
  const double lpw = spec.lowpass_filter_width;
  const double base = double(std::min(orig_, new_)) * spec.rolloff;
  width_ = static_cast<int64_t>(std::ceil(lpw * double(orig_) / base));
  const int64_t taps = 2 * width_ + orig_;  // torchaudio's kernel length
  const double scale = base / double(orig_);

  // Only |t| < lpw is non-zero (the Hann window vanishes beyond), about
  // 2 * lpw * orig / base taps per phase, so store just that span.
  first_.resize(static_cast<size_t>(new_));
  offset_.resize(first_.size());
  count_.resize(first_.size());
  for (int64_t i = 0; i < new_; ++i) {
    const double centre = double(orig_) * double(i) / double(new_);  // in idx units
    const double half = lpw * double(orig_) / base;
    const int64_t lo = std::max<int64_t>(0, static_cast<int64_t>(std::floor(centre - half)) + width_);
    const int64_t hi = std::min<int64_t>(taps - 1, static_cast<int64_t>(std::ceil(centre + half)) + width_);
    first_[i] = lo;
    offset_[i] = static_cast<int64_t>(weights_.size());
    count_[i] = hi - lo + 1;
    for (int64_t k = lo; k <= hi; ++k) {
      const double idx = double(k - width_);
      double t = (-double(i) / double(new_) + idx / double(orig_)) * base;
      t = std::clamp(t, -lpw, lpw);
      const double window = std::pow(std::cos(t * M_PI / lpw / 2), 2);
      const double x = t * M_PI;
      const double sinc = x == 0.0 ? 1.0 : std::sin(x) / x;
      weights_.push_back(static_cast<float>(sinc * window * scale));
    }
    reach_ = std::max(reach_, hi + 1);
  }
  padded_.assign(static_cast<size_t>(width_), 0.0f);  // left padding
}

void SincResampler::emit_ready(std::vector<float>& out, int64_t limit) {
  const int64_t available = base_ + static_cast<int64_t>(padded_.size());
  while (next_block_ * orig_ + reach_ <= available) {
    const float* block = padded_.data() + (next_block_ * orig_ - base_);
    for (int64_t i = 0; i < new_ && produced_ < limit; ++i, ++produced_) {
      const float* x = block + first_[i];
      const float* w = weights_.data() + offset_[i];
      float acc = 0.0f;
      for (int64_t k = 0; k < count_[i]; ++k) acc += x[k] * w[k];
      out.push_back(acc);
    }
    ++next_block_;
  }
  // Keep only what later blocks read.
  const int64_t drop = next_block_ * orig_ - base_;
  if (drop > 0) {
    padded_.erase(padded_.begin(), padded_.begin() + std::min<int64_t>(drop, int64_t(padded_.size())));
    base_ += drop;
  }
}

void SincResampler::process(const float* in, size_t n, std::vector<float>& out) {
  if (flushed_) throw std::logic_error("SincResampler::process after flush");
  padded_.insert(padded_.end(), in, in + n);
  input_samples_ += static_cast<int64_t>(n);
  emit_ready(out, INT64_MAX);
}

void SincResampler::flush(std::vector<float>& out) {
  if (flushed_) return;
  flushed_ = true;
  // Right padding of width + orig zeros, then every block up to the target length.
  padded_.insert(padded_.end(), static_cast<size_t>(width_ + orig_ + reach_), 0.0f);
  const int64_t target = (new_ * input_samples_ + orig_ - 1) / orig_;
  emit_ready(out, target);
}

}  // namespace pelagos
