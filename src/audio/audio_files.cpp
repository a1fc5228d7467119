#include "audio/audio_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {
namespace fs = std::filesystem;

bool has_audio_extension(const std::string& path) {
  static const std::array<const char*, 14> kExtensions = {".wav",  ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3",
                                                          ".aif",  ".aiff", ".aifc", ".au",  ".caf", ".w64",  ".rf64"};
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::vector<std::string> find_audio_files(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, fs::directory_options::follow_directory_symlink, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && has_audio_extension(it->path().string())) found.push_back(it->path().string());
      }
      if (ec) throw Error(fmt::format("{}: cannot list the folder ({}).", input, ec.message()));
      if (found.empty())
        throw Error(fmt::format("{}: the folder holds no audio files (looked for .wav, .flac, .ogg, .mp3, "
                                ".aiff and similar, recursively).", input));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      files.push_back(input);
    } else {
      throw Error(fmt::format("{}: no such file or folder.", input));
    }
  }
  return files;
}

}  // namespace pelagos
