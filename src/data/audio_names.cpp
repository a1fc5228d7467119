#include "data/audio_names.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace pelagos {

bool has_audio_extension(const std::string& name) {
  static const std::set<std::string> kExtensions = {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3",
                                                    ".aif", ".aiff", ".au",  ".w64", ".caf", ".rf64"};
  std::string ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return kExtensions.count(ext) > 0;
}

}  // namespace pelagos
