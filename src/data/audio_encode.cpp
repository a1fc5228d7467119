#include "data/audio_encode.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

#include "audio/sndfile_api.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

// A growable in-memory file behind libsndfile's virtual I/O.
struct MemoryFile {
  std::string data;
  sf_count_t pos = 0;
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->data.size()); }

sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : static_cast<sf_count_t>(f->data.size());
  if (base + offset < 0) return -1;
  f->pos = base + offset;
  return f->pos;
}

sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  sf_count_t size = static_cast<sf_count_t>(f->data.size());
  sf_count_t n = std::max<sf_count_t>(0, std::min(count, size - f->pos));
  if (n > 0) std::memcpy(ptr, f->data.data() + f->pos, static_cast<size_t>(n));
  f->pos += n;
  return n;
}

sf_count_t mem_write(const void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  size_t end = static_cast<size_t>(f->pos + count);
  if (end > f->data.size()) f->data.resize(end);
  std::memcpy(f->data.data() + f->pos, ptr, static_cast<size_t>(count));
  f->pos += count;
  return count;
}

sf_count_t mem_tell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

int sf_format_of(AudioFileType type) {
  switch (type) {
    case AudioFileType::WavPcm16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case AudioFileType::WavFloat: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case AudioFileType::FlacPcm16: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFileType::FlacPcm24: return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
  }
  return 0;
}

}  // namespace

const char* file_extension(AudioFileType type) {
  return type == AudioFileType::FlacPcm16 || type == AudioFileType::FlacPcm24 ? "flac" : "wav";
}

std::string encode_audio(const std::vector<float>& samples, int sample_rate, AudioFileType type) {
  SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
  MemoryFile mem;
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = sf_format_of(type);
  SNDFILE* f = sndfile().sf_open_virtual(&io, SFM_WRITE, &info, &mem);
  if (!f)
    throw Error(fmt::format("cannot encode {} Hz {} audio: {}", sample_rate, file_extension(type),
                            sndfile().sf_strerror(nullptr)));
  sndfile().sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  // Float WAVs get a PEAK chunk stamped with the current time: leave it out so
  // the same samples always give the same bytes.
  sndfile().sf_command(f, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  sf_count_t written = sndfile().sf_writef_float(f, samples.data(), static_cast<sf_count_t>(samples.size()));
  std::string why = sndfile().sf_strerror(f);
  sndfile().sf_close(f);
  if (written != static_cast<sf_count_t>(samples.size()))
    throw Error(fmt::format("encoding {} audio failed: {}", file_extension(type), why));
  return std::move(mem.data);
}

void write_audio_file(const std::string& path, const std::vector<float>& samples, int sample_rate,
                      AudioFileType type) {
  write_file_atomic(path, encode_audio(samples, sample_rate, type));
}

}  // namespace pelagos
