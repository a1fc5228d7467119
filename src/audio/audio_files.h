// Expands command-line inputs (audio files and folders) into a list of audio files.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

// True when the extension is one pelagos decodes (wav, flac, ogg, ...), case-insensitive.
bool has_audio_extension(const std::string& path);

// Files are kept as given (any extension: the decoder decides); folders are
// searched recursively for audio extensions, sorted by path within each folder
// so the order (and so row numbers in outputs) is reproducible. Throws
// pelagos::Error naming an input that does not exist or a folder without audio.
std::vector<std::string> find_audio_files(const std::vector<std::string>& inputs);

}  // namespace pelagos
