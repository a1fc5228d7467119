// The fields of a RIFF/WAVE 'fmt ' chunk, read without libsndfile: when
// libsndfile refuses a WAV file its reason ("SF_INFO struct incomplete",
// "Malformed 'fmt ' chunk") does not say what is wrong; these fields do.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace pelagos {

struct WavFormat {
  uint16_t format_tag = 0;  // 1 PCM, 3 IEEE float, 0xFFFE extensible, 0x55 MP3, ...
  uint16_t channels = 0;
  uint32_t sample_rate = 0;
  uint16_t bits_per_sample = 0;
};

// The 'fmt ' chunk of `bytes` (a file's first bytes), or nullopt when they are
// not a RIFF/WAVE header with one.
std::optional<WavFormat> parse_wav_format(const std::string& bytes);

// The 'fmt ' chunk of the file at `path` (reads at most its first 64 KiB).
std::optional<WavFormat> read_wav_format(const std::string& path);

// "MP3", "AAC", ... for codecs found in WAV files that libsndfile does not decode; "" otherwise.
std::string wav_codec_name(uint16_t format_tag);

}  // namespace pelagos
