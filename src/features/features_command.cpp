// `pelagos features`: every patch of every input as one float32 .npy (N x frames x bands),
// with an optional CSV index saying where each row came from.
#include "features/features_command.h"

#include <fmt/format.h>
#include <iostream>

#include "pelagos/feature_pipeline.h"
#include "util/atomic_file.h"
#include "util/npy.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

// RFC 4180: quote a field holding a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void write_index(const std::string& path, const std::vector<std::string>& files, const ClipFeatures& f) {
  std::string text = "row,file,patch,start_s\n";
  for (int64_t row = 0; row < f.patch_count(); ++row) {
    const size_t clip = size_t(f.patch_clip[size_t(row)]);
    text += fmt::format("{},{},{},{:.6f}\n", row, csv_field(files[clip]), row - f.offsets[clip],
                        f.patch_start_s[size_t(row)]);
  }
  write_file_atomic(path, text);
}

}  // namespace

int run_features(const FeaturesCommandOptions& options) {
  FeatureOptions fo;
  fo.cache_dir = options.cache_dir;
  fo.threads = options.threads;
  fo.quiet = options.quiet;
  const ClipFeatures f = load_features(options.files, options.params, fo);
  write_npy(options.out_npy, f.data.data(), {f.patch_count(), f.frames, f.bands});
  if (!options.index_csv.empty()) write_index(options.index_csv, options.files, f);
  if (!options.quiet) {
    const FeatureStats& s = f.stats;
    std::cerr << fmt::format("features: {} patches from {} files ({} from cache) -> {}\n", f.patch_count(),
                             s.clips, s.cache_hits, options.out_npy);
    if (options.verbose)
      std::cerr << fmt::format(
          "features: {:.3f} s wall, {:.1f} s of audio decoded; worker time: hash {:.3f} s, cache {:.3f} s, "
          "decode+resample {:.3f} s, frontend {:.3f} s\n",
          s.elapsed_s, s.decoded_audio_s, s.hash_s, s.cache_s, s.decode_s, s.frontend_s);
  }
  return 0;
}

}  // namespace pelagos

PELAGOS_TORCH_COMMAND(features, pelagos::FeaturesCommandOptions, pelagos::run_features)
