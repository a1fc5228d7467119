// Encodes mono float samples to an audio file's bytes with libsndfile (in
// memory, so the file can then be written atomically).
#pragma once
#include <string>
#include <vector>

namespace pelagos {

enum class AudioFileType { WavPcm16, WavFloat, FlacPcm16, FlacPcm24 };

const char* file_extension(AudioFileType type);  // "wav" / "flac"

// Samples should lie in [-1, 1]; integer encodings clip outside it.
std::string encode_audio(const std::vector<float>& samples, int sample_rate, AudioFileType type);

// encode_audio + write_file_atomic.
void write_audio_file(const std::string& path, const std::vector<float>& samples, int sample_rate,
                      AudioFileType type);

}  // namespace pelagos
