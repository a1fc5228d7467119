// Decoding with libsndfile and resampling with libsoxr, chunk by chunk, so a
// multi-hour recording needs only a few hundred kilobytes of buffers.
#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "pelagos/audio.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr int kMinRate = 1000;
constexpr int kMaxRate = 384000;
constexpr int kMaxChannels = 256;
constexpr size_t kChunkFrames = 65536;

std::string major_format_name(int format) {
  SF_FORMAT_INFO info{};
  info.format = format & SF_FORMAT_TYPEMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof(info)) == 0 && info.name)
    return info.extension ? fmt::format("{}", info.extension) : info.name;
  return "unknown";
}

std::string encoding_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM_S8";
    case SF_FORMAT_PCM_U8: return "PCM_U8";
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_PCM_32: return "PCM_32";
    case SF_FORMAT_FLOAT: return "FLOAT";
    case SF_FORMAT_DOUBLE: return "DOUBLE";
    case SF_FORMAT_VORBIS: return "VORBIS";
    case SF_FORMAT_OPUS: return "OPUS";
    case SF_FORMAT_ULAW: return "ULAW";
    case SF_FORMAT_ALAW: return "ALAW";
#ifdef SF_FORMAT_MPEG_LAYER_III
    case SF_FORMAT_MPEG_LAYER_III: return "MP3";
#endif
    default: return fmt::format("0x{:04x}", format & SF_FORMAT_SUBMASK);
  }
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

struct AudioStream::Impl {
  SNDFILE* file = nullptr;
  AudioInfo info;
  AudioReadOptions options;
  int output_rate = 0;
  soxr_t resampler = nullptr;
  std::vector<float> interleaved;  // one decoded chunk, all channels
  std::vector<float> mono;         // the same chunk after channel mix
  std::vector<float> pending;      // resampled samples not yet handed out
  size_t pending_pos = 0;
  bool input_done = false;
  bool flushed = false;
  int64_t nonfinite_samples = 0;

  ~Impl() {
    if (resampler) soxr_delete(resampler);
    if (file) sf_close(file);
  }

  void open(const std::string& path) {
    SF_INFO sfinfo{};
    file = sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (!file) {
      throw Error(fmt::format("{}: cannot read as audio ({}). Check that the file exists and is "
                              "WAV, FLAC, OGG/Vorbis or another format libsndfile reads.",
                              path, sf_strerror(nullptr)));
    }
    info.path = path;
    info.sample_rate = sfinfo.samplerate;
    info.channels = sfinfo.channels;
    info.frames = sfinfo.frames;
    info.format = upper(major_format_name(sfinfo.format));
    info.encoding = encoding_name(sfinfo.format);
    if (sfinfo.channels < 1 || sfinfo.channels > kMaxChannels)
      throw Error(fmt::format("{}: header says {} channels; pelagos reads 1 to {} channels. The file "
                              "is probably damaged: re-export it.", path, sfinfo.channels, kMaxChannels));
    if (sfinfo.samplerate < kMinRate || sfinfo.samplerate > kMaxRate)
      throw Error(fmt::format("{}: sample rate {} Hz is outside the supported {}-{} Hz. The header "
                              "is probably damaged, or resample the file first.",
                              path, sfinfo.samplerate, kMinRate, kMaxRate));
  }
};

AudioInfo probe_audio(const std::string& path) {
  AudioStream::Impl impl;
  impl.open(path);
  return impl.info;
}

AudioStream::AudioStream(const std::string& path, const AudioReadOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->open(path);
  impl_->options = options;
  const AudioInfo& info = impl_->info;
  if (options.channel >= info.channels)
    throw Error(fmt::format("{}: --channel {} requested but the file has {} channel(s) (0-based).",
                            path, options.channel, info.channels));
  impl_->output_rate = options.target_rate > 0 ? options.target_rate : info.sample_rate;
  if (impl_->output_rate != info.sample_rate) {
    soxr_error_t err = nullptr;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    impl_->resampler = soxr_create(info.sample_rate, impl_->output_rate, 1, &err, &io, &quality, nullptr);
    if (err) throw Error(fmt::format("{}: cannot set up resampling {} -> {} Hz: {}", path,
                                     info.sample_rate, impl_->output_rate, err));
  }
  impl_->interleaved.resize(kChunkFrames * static_cast<size_t>(info.channels));
}

AudioStream::~AudioStream() = default;

const AudioInfo& AudioStream::info() const { return impl_->info; }
int AudioStream::output_rate() const { return impl_->output_rate; }

size_t AudioStream::read(std::vector<float>& out, size_t max_samples) {
  Impl& s = *impl_;
  size_t appended = 0;
  while (appended < max_samples) {
    if (s.pending_pos < s.pending.size()) {
      size_t n = std::min(max_samples - appended, s.pending.size() - s.pending_pos);
      out.insert(out.end(), s.pending.begin() + static_cast<std::ptrdiff_t>(s.pending_pos),
                 s.pending.begin() + static_cast<std::ptrdiff_t>(s.pending_pos + n));
      s.pending_pos += n;
      appended += n;
      continue;
    }
    if (s.flushed) break;
    s.pending.clear();
    s.pending_pos = 0;

    // Decode one chunk and mix it down to mono.
    size_t frames = 0;
    if (!s.input_done) {
      sf_count_t got = sf_readf_float(s.file, s.interleaved.data(), static_cast<sf_count_t>(kChunkFrames));
      if (got <= 0) {
        s.input_done = true;
        if (sf_error(s.file) != SF_ERR_NO_ERROR)
          throw Error(fmt::format("{}: decoding failed ({}). The file is damaged or truncated.",
                                  s.info.path, sf_strerror(s.file)));
      } else {
        frames = static_cast<size_t>(got);
      }
    }
    const size_t ch = static_cast<size_t>(s.info.channels);
    s.mono.resize(frames);
    for (size_t i = 0; i < frames; ++i) {
      const float* frame = &s.interleaved[i * ch];
      float v;
      if (s.options.channel >= 0) {
        v = frame[s.options.channel];
      } else {
        double sum = 0.0;
        for (size_t c = 0; c < ch; ++c) sum += frame[c];
        v = static_cast<float>(sum / static_cast<double>(ch));
      }
      if (!std::isfinite(v)) {  // NaN/Inf in float files would poison every later patch
        ++s.nonfinite_samples;
        v = 0.0f;
      }
      s.mono[i] = v;
    }

    if (!s.resampler) {
      s.pending.swap(s.mono);
      if (s.input_done) s.flushed = true;
      continue;
    }
    // Resample; at the end feed nullptr to flush soxr's delay line.
    const double ratio = double(s.output_rate) / s.info.sample_rate;
    size_t capacity = static_cast<size_t>(std::ceil(double(std::max<size_t>(frames, 1)) * ratio)) + 1024;
    s.pending.resize(capacity);
    size_t consumed = 0, produced = 0;
    if (frames > 0) {
      soxr_error_t err = soxr_process(s.resampler, s.mono.data(), frames, &consumed, s.pending.data(),
                                      capacity, &produced);
      if (err) throw Error(fmt::format("{}: resampling failed: {}", s.info.path, err));
      s.pending.resize(produced);
    } else {
      std::vector<float> tail;
      for (;;) {
        size_t got = 0;
        soxr_error_t err = soxr_process(s.resampler, nullptr, 0, nullptr, s.pending.data(), capacity, &got);
        if (err) throw Error(fmt::format("{}: resampling failed: {}", s.info.path, err));
        tail.insert(tail.end(), s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(got));
        if (got < capacity) break;
      }
      s.pending.swap(tail);
      s.flushed = true;
    }
  }
  return appended;
}

Audio read_audio(const std::string& path, const AudioReadOptions& options) {
  AudioStream stream(path, options);
  Audio audio;
  audio.sample_rate = stream.output_rate();
  const AudioInfo& info = stream.info();
  double ratio = double(audio.sample_rate) / std::max(1, info.sample_rate);
  audio.samples.reserve(static_cast<size_t>(double(std::max<int64_t>(info.frames, 0)) * ratio) + 16);
  while (stream.read(audio.samples, 1 << 20) > 0) {
  }
  return audio;
}

}  // namespace pelagos
