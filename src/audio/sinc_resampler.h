// Windowed-sinc resampling with the semantics of torchaudio 0.13's
// functional.resample defaults (Hann window, 6 zero crossings, rolloff 0.99):
// the rate ratio is reduced by the gcd to orig/new, output sample j*new + i is
// the dot product of input samples j*orig - width .. with phase i's kernel,
// the input is zero-padded by `width` on the left and `width + orig` on the
// right, and the output is cut to ceil(new * L / orig) samples. The seed
// model was trained on audio resampled this way, so the seed frontend uses it;
// here it runs as a stream, keeping only one kernel span of input.
#pragma once
#include <cstdint>
#include <vector>

#include "audio/resampler.h"

namespace pelagos {

struct SincResamplerSpec {
  int lowpass_filter_width = 6;  // zero crossings on each side
  double rolloff = 0.99;         // cutoff as a fraction of the lower Nyquist
};

class SincResampler final : public Resampler {
 public:
  SincResampler(int in_rate, int out_rate, const SincResamplerSpec& spec = {});
  void process(const float* in, size_t n, std::vector<float>& out) override;
  void flush(std::vector<float>& out) override;

 private:
  void emit_ready(std::vector<float>& out, int64_t limit);

  int64_t orig_ = 1, new_ = 1;  // reduced rates
  int64_t width_ = 0;
  // Phase i's non-zero taps: weights_[offset_[i] ..] applied from padded input index j*orig + first_[i].
  std::vector<int64_t> first_, offset_, count_;
  std::vector<float> weights_;
  int64_t reach_ = 0;             // highest padded index any phase reads, relative to j*orig, plus 1
  std::vector<float> padded_;     // padded input from padded index base_
  int64_t base_ = 0;
  int64_t next_block_ = 0;        // next output block j
  int64_t input_samples_ = 0;
  int64_t produced_ = 0;
  bool flushed_ = false;
};

}  // namespace pelagos
