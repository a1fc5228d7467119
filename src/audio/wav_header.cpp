#include "audio/wav_header.h"

#include <cstring>
#include <fstream>

namespace pelagos {
namespace {

uint32_t le(const std::string& b, size_t pos, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[pos + size_t(i)]);
  return v;
}

}  // namespace

std::optional<WavFormat> parse_wav_format(const std::string& b) {
  if (b.size() < 12 || (b.compare(0, 4, "RIFF") != 0 && b.compare(0, 4, "RIFX") != 0) || b.compare(8, 4, "WAVE") != 0)
    return std::nullopt;
  if (b.compare(0, 4, "RIFX") == 0) return std::nullopt;  // big-endian WAV: rare, leave it to libsndfile
  // Walk the chunks; each is id (4) + size (4) + data, padded to an even size.
  for (size_t pos = 12; pos + 8 <= b.size();) {
    const uint32_t size = le(b, pos + 4, 4);
    if (b.compare(pos, 4, "fmt ") == 0) {
      if (size < 16 || pos + 8 + 16 > b.size()) return std::nullopt;
      WavFormat f;
      f.format_tag = static_cast<uint16_t>(le(b, pos + 8, 2));
      f.channels = static_cast<uint16_t>(le(b, pos + 10, 2));
      f.sample_rate = le(b, pos + 12, 4);
      f.bits_per_sample = static_cast<uint16_t>(le(b, pos + 22, 2));
      return f;
    }
    const uint64_t next = uint64_t(pos) + 8 + size + (size & 1);
    if (next > b.size()) break;
    pos = static_cast<size_t>(next);
  }
  return std::nullopt;
}

std::optional<WavFormat> read_wav_format(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string head(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return parse_wav_format(head);
}

std::string wav_codec_name(uint16_t tag) {
  switch (tag) {
    case 0x0050: return "MPEG audio";
    case 0x0055: return "MP3";
    case 0x00FF:
    case 0x1600:
    case 0x1601:
    case 0x1602:
    case 0x1610: return "AAC";
    case 0x0160:
    case 0x0161:
    case 0x0162:
    case 0x0163: return "WMA";
    case 0x2000: return "AC-3";
    case 0x2001: return "DTS";
    case 0x674F:
    case 0x6750:
    case 0x6751:
    case 0x676F:
    case 0x6770:
    case 0x6771: return "Vorbis";
    case 0xF1AC: return "FLAC";
    default: return "";
  }
}

}  // namespace pelagos
