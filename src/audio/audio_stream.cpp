// Decoding with libsndfile and resampling (src/audio/resampler.h), chunk by
// chunk, so a multi-hour recording needs only a few megabytes of buffers.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

#include "audio/resampler.h"
#include "audio/sndfile_api.h"
#include "pelagos/audio.h"
#include "audio/wav_header.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr int kMinRate = 1000;
constexpr int kMaxRate = 384000;
constexpr int kMaxChannels = 256;

// Throws for a channel count, sample rate or WAV codec pelagos cannot use.
void check_header_fields(const std::string& path, int64_t channels, int64_t rate, int format_tag = -1) {
  if (channels < 1 || channels > kMaxChannels)
    throw Error(fmt::format("{}: header says {} channels; pelagos reads 1 to {} channels. The file "
                            "is probably damaged: re-export it.", path, channels, kMaxChannels));
  if (rate < kMinRate || rate > kMaxRate)
    throw Error(fmt::format("{}: sample rate {} Hz is outside the supported {}-{} Hz. The header "
                            "is probably damaged, or resample the file first.", path, rate, kMinRate, kMaxRate));
  if (format_tag >= 0 && !wav_codec_name(uint16_t(format_tag)).empty())
    throw Error(fmt::format("{}: a WAV file holding {} audio (codec 0x{:04X}), which pelagos cannot decode. "
                            "Convert it to PCM WAV or FLAC (e.g. ffmpeg -i IN -c:a pcm_s16le OUT.wav).",
                            path, wav_codec_name(uint16_t(format_tag)), format_tag));
}
constexpr size_t kChunkSamples = 32768;  // decoded per read, all channels; small: stays in L2 until resampled

// The container as users name it: libsndfile's file extension, upper case,
// except where that extension is not the usual one (.oga, .m1a).
std::string major_format_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_OGG: return "ogg";
    case SF_FORMAT_MPEG: return "mp3";
    default: break;
  }
  SF_FORMAT_INFO info{};
  info.format = format & SF_FORMAT_TYPEMASK;
  if (sndfile().sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof(info)) == 0 && info.name)
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
    case SF_FORMAT_MPEG_LAYER_III: return "MP3";
    default: return fmt::format("0x{:04x}", format & SF_FORMAT_SUBMASK);
  }
}

// libsndfile reads a cut-off WAV/AIFF silently but logs "data : N (should be M)".
bool header_overstates_data(SNDFILE* file) {
  std::string log(8192, '\0');
  sndfile().sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  for (size_t pos = log.find("data :"); pos != std::string::npos; pos = log.find("data :", pos + 1)) {
    const size_t eol = log.find('\n', pos);
    if (log.substr(pos, eol - pos).find("should be") != std::string::npos) return true;
  }
  return false;
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
  std::unique_ptr<Resampler> resampler;
  // Chunk buffers, left uninitialised (zero-filling 1 MB per chunk showed up in
  // the decode profile): `decoded` holds a chunk of all channels,
  // `mixed` its channel mix (multi-channel files only; mono ones use `decoded`).
  std::unique_ptr<float[]> decoded, mixed;
  size_t chunk_frames = 0;  // capacity of a chunk, per channel
  float* mono = nullptr;    // the current chunk after channel mix
  size_t mono_size = 0;
  std::vector<float> pending;      // output samples not yet handed out
  size_t pending_pos = 0;
  bool done = false;
  int64_t decoded_frames = 0;
  bool float_samples = false;  // only float encodings can hold NaN/Inf
  int64_t nonfinite_samples = 0;

  ~Impl() {
    if (file) sndfile().sf_close(file);
  }

  void open(const std::string& path) {
    if (std::filesystem::is_directory(path))
      throw Error(fmt::format("{}: is a folder, not an audio file.", path));
    SF_INFO sfinfo{};
    file = sndfile().sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (!file) {
      const std::string reason = sndfile().sf_strerror(nullptr);
      // libsndfile's reason for a damaged WAV header does not say which field; ours does.
      if (const auto wav = read_wav_format(path)) check_header_fields(path, wav->channels, int64_t(wav->sample_rate), wav->format_tag);
      throw Error(fmt::format("{}: cannot read as audio ({}). Check that the file exists and is "
                              "WAV, FLAC, OGG/Vorbis or another format libsndfile reads.",
                              path, reason));
    }
    info.path = path;
    info.sample_rate = sfinfo.samplerate;
    info.channels = sfinfo.channels;
    info.frames = sfinfo.frames;
    info.format = upper(major_format_name(sfinfo.format));
    info.encoding = encoding_name(sfinfo.format);
    const int sub = sfinfo.format & SF_FORMAT_SUBMASK;
    float_samples = sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
    if (header_overstates_data(file))
      throw Error(fmt::format("{}: is truncated: its header promises more audio than the file holds (an "
                              "incomplete copy or download?). Copy or export the file again.", path));
    check_header_fields(path, sfinfo.channels, sfinfo.samplerate);
    if (sfinfo.frames <= 0)
      throw Error(fmt::format("{}: holds no audio samples (header only, or the data was cut off). "
                              "Re-export or remove the file.", path));
  }

  // Decodes one chunk into `mono`; returns false at the end of the file.
  bool decode_chunk() {
    const size_t ch = static_cast<size_t>(info.channels);
    const sf_count_t got = sndfile().sf_readf_float(file, decoded.get(), static_cast<sf_count_t>(chunk_frames));
    if (got <= 0) {
      if (sndfile().sf_error(file) != SF_ERR_NO_ERROR)
        throw Error(fmt::format("{}: decoding failed ({}). The file is damaged or truncated.", info.path,
                                sndfile().sf_strerror(file)));
      // Lossless headers state the exact length; lossy ones may only estimate it.
      const bool exact_length = info.encoding != "VORBIS" && info.encoding != "OPUS" && info.encoding != "MP3";
      if (exact_length && decoded_frames < info.frames)
        throw Error(fmt::format("{}: ends after {} of the {} samples its header promises: the file is damaged "
                                "or truncated. Copy or export it again.", info.path, decoded_frames, info.frames));
      return false;
    }
    const size_t frames = static_cast<size_t>(got);
    decoded_frames += got;
    mono_size = frames;
    // Mono files need no mix: their decoded chunk is used in place.
    mono = ch == 1 ? decoded.get() : mixed.get();
    const float* interleaved = decoded.get();
    if (options.channel >= 0 && ch > 1) {
      for (size_t i = 0; i < frames; ++i) mono[i] = interleaved[i * ch + static_cast<size_t>(options.channel)];
    } else if (ch > 1) {
      for (size_t i = 0; i < frames; ++i) {
        double sum = 0.0;
        for (size_t c = 0; c < ch; ++c) sum += interleaved[i * ch + c];
        mono[i] = static_cast<float>(sum / static_cast<double>(ch));
      }
    }
    if (float_samples) {
      // NaN/Inf in float files would poison every later patch: zero and count them.
      for (size_t i = 0; i < frames; ++i) {
        if (!std::isfinite(mono[i])) {
          ++nonfinite_samples;
          mono[i] = 0.0f;
        }
      }
    }
    return true;
  }

  // Decodes one chunk and appends its output to `out`; sets `done` at the end.
  void produce(std::vector<float>& out) {
    const bool more = decode_chunk();
    try {
      if (!more) {
        if (resampler) resampler->flush(out);
        done = true;
      } else if (resampler) {
        resampler->process(mono, mono_size, out);
      } else {
        out.insert(out.end(), mono, mono + mono_size);
      }
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", info.path, e.what()));
    }
  }
};

const char* to_string(ResamplerKind kind) { return kind == ResamplerKind::Sinc ? "sinc" : "soxr"; }

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
  if (options.channel < -1 || options.channel >= info.channels)
    throw Error(fmt::format("{}: --channel {} requested but the file has {} channel(s) (0-based; -1 mixes "
                            "them).", path, options.channel, info.channels));
  if (options.target_rate != 0 && (options.target_rate < kMinRate || options.target_rate > kMaxRate))
    throw Error(fmt::format("{}: output rate {} Hz requested; pelagos resamples to {}-{} Hz.", path,
                            options.target_rate, kMinRate, kMaxRate));
  impl_->output_rate = options.target_rate > 0 ? options.target_rate : info.sample_rate;
  if (impl_->output_rate != info.sample_rate) {
    try {
      impl_->resampler = make_resampler(options.resampler, info.sample_rate, impl_->output_rate);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", path, e.what()));
    }
  }
  const size_t ch = static_cast<size_t>(info.channels);
  impl_->chunk_frames = std::max<size_t>(1024, kChunkSamples / ch);
  impl_->decoded.reset(new float[impl_->chunk_frames * ch]);
  if (ch > 1) impl_->mixed.reset(new float[impl_->chunk_frames]);
}

AudioStream::~AudioStream() = default;

const AudioInfo& AudioStream::info() const { return impl_->info; }
int AudioStream::output_rate() const { return impl_->output_rate; }
int64_t AudioStream::nonfinite_samples() const { return impl_->nonfinite_samples; }

size_t AudioStream::read(std::vector<float>& out, size_t max_samples) {
  Impl& s = *impl_;
  size_t appended = 0;
  while (appended < max_samples) {
    if (s.pending_pos < s.pending.size()) {
      const size_t n = std::min(max_samples - appended, s.pending.size() - s.pending_pos);
      const auto from = s.pending.begin() + static_cast<std::ptrdiff_t>(s.pending_pos);
      out.insert(out.end(), from, from + static_cast<std::ptrdiff_t>(n));
      s.pending_pos += n;
      appended += n;
      continue;
    }
    if (s.done) break;
    s.pending.clear();
    s.pending_pos = 0;
    s.produce(s.pending);
  }
  return appended;
}

void AudioStream::read_all(std::vector<float>& out) {
  Impl& s = *impl_;
  read(out, s.pending.size() - s.pending_pos);
  while (!s.done) s.produce(out);  // straight into `out`: no staging copy through `pending`
}

Audio read_audio(const std::string& path, const AudioReadOptions& options) {
  AudioStream stream(path, options);
  Audio audio;
  audio.sample_rate = stream.output_rate();
  const AudioInfo& info = stream.info();
  double ratio = double(audio.sample_rate) / std::max(1, info.sample_rate);
  audio.samples.reserve(static_cast<size_t>(double(std::max<int64_t>(info.frames, 0)) * ratio) + 16);
  stream.read_all(audio.samples);
  audio.nonfinite_samples = stream.nonfinite_samples();
  return audio;
}

}  // namespace pelagos
