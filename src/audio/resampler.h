// Streaming sample-rate converters behind one interface, so AudioStream can
// use libsoxr (default) or the torchaudio-compatible windowed sinc that the
// seed frontend was trained with.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "pelagos/audio.h"

namespace pelagos {

class Resampler {
 public:
  virtual ~Resampler() = default;
  // Appends the output these input samples make available (may lag the input).
  virtual void process(const float* in, size_t n, std::vector<float>& out) = 0;
  // End of input: appends all remaining output. Call once.
  virtual void flush(std::vector<float>& out) = 0;
};

// Throws pelagos::Error when the converter cannot be set up.
std::unique_ptr<Resampler> make_resampler(ResamplerKind kind, int in_rate, int out_rate);

}  // namespace pelagos
