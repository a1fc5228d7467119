// File-name extensions of the audio formats libsndfile reads, for telling audio
// file names apart from other text (headers, unlisted files in a split folder).
#pragma once
#include <string>

namespace pelagos {

// True when `name` ends in .wav, .flac, .ogg, ... (case-insensitive).
bool has_audio_extension(const std::string& name);

}  // namespace pelagos
