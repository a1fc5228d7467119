// The audio front: bytes -> libsndfile -> channel mix -> resampling to 16 kHz
// (the torch-free part of the patch pipeline). The first input byte picks the
// resampler and the channel choice.
#include "fuzz_input.h"
#include "pelagos/audio.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  pelagos::AudioReadOptions options;
  options.resampler = (data[0] & 1) ? pelagos::ResamplerKind::Sinc : pelagos::ResamplerKind::Soxr;
  options.channel = (data[0] & 2) ? 0 : -1;
  options.target_rate = (data[0] & 4) ? 0 : 16000;
  pelagos::fuzz::MemFile file(data + 1, size - 1);
  pelagos::fuzz::expect_clean([&] {
    const pelagos::Audio audio = pelagos::read_audio(file.path(), options);
    for (float v : audio.samples)
      if (!(v == v)) std::abort();  // NaN must have been replaced
  });
  return 0;
}
