// Audio input: decode any libsndfile format, mix or pick a channel, resample
// to the frontend's rate with libsoxr, whole-file or streamed in chunks.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pelagos {

struct AudioInfo {
  std::string path;
  int sample_rate = 0;
  int channels = 0;
  int64_t frames = 0;      // per channel
  std::string format;      // container, e.g. "WAV", "FLAC", "OGG"
  std::string encoding;    // sample encoding, e.g. "PCM_16", "FLOAT", "VORBIS"
  double duration_s() const { return sample_rate > 0 ? double(frames) / sample_rate : 0.0; }
};

// How to convert sample rates.
enum class ResamplerKind {
  Soxr,  // libsoxr HQ: steep, alias-free (default)
  Sinc,  // torchaudio 0.13 functional.resample defaults (what the seed model saw)
};
const char* to_string(ResamplerKind kind);  // "soxr" | "sinc"

struct AudioReadOptions {
  int channel = -1;          // -1: mean of all channels; otherwise 0-based channel index
  int target_rate = 16000;   // 0 keeps the native rate
  ResamplerKind resampler = ResamplerKind::Soxr;
};

// Mono float samples in [-1, 1) at `sample_rate`.
struct Audio {
  int sample_rate = 0;
  std::vector<float> samples;
  int64_t nonfinite_samples = 0;  // NaN/Inf input samples replaced by 0 (callers warn)
};

// Reads the header only. Throws pelagos::Error naming the file when it is not readable audio.
AudioInfo probe_audio(const std::string& path);

// Decodes, mixes and resamples a whole file.
Audio read_audio(const std::string& path, const AudioReadOptions& options = {});

// Streams a file in chunks in constant memory: decode -> channel mix -> resample.
class AudioStream {
 public:
  AudioStream(const std::string& path, const AudioReadOptions& options = {});
  ~AudioStream();
  AudioStream(const AudioStream&) = delete;
  AudioStream& operator=(const AudioStream&) = delete;

  const AudioInfo& info() const;
  int output_rate() const;
  // Appends up to `max_samples` output samples to `out`; returns how many were
  // appended. Returns 0 only at the end of the file.
  size_t read(std::vector<float>& out, size_t max_samples);
  // Appends everything not yet read to `out`.
  void read_all(std::vector<float>& out);
  // NaN/Inf samples met so far (after channel mixing), each replaced by 0.
  int64_t nonfinite_samples() const;

 public:
  struct Impl;  // decoder + resampler state (audio_stream.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pelagos
