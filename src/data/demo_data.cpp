#include "data/demo_data.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "data/audio_encode.h"
#include "data/demo_rng.h"
#include "data/synth_calls.h"
#include "data/xlsx_writer.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace fs = std::filesystem;
namespace {

struct DemoSpecies {
  const char* name;
  const char* slug;
  CallType call;
};

// Invented names: nobody should mistake these recordings for real animals.
constexpr DemoSpecies kSpecies[] = {
    {"Rising Whistler", "rising_whistler", CallType::UpSweep},
    {"Falling Whistler", "falling_whistler", CallType::DownSweep},
    {"Clicking Porpoise", "clicking_porpoise", CallType::ClickTrain},
    {"Harmonic Dolphin", "harmonic_dolphin", CallType::HarmonicWhistle},
    {"Pulsing Orca", "pulsing_orca", CallType::PulsedCall},
    {"Moaning Rorqual", "moaning_rorqual", CallType::LowMoan},
};
constexpr int kRates[] = {8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000};
constexpr double kSnrDb[] = {6, 12, 20, 30};
constexpr AudioFileType kTypes[] = {AudioFileType::WavPcm16, AudioFileType::WavFloat, AudioFileType::FlacPcm16,
                                    AudioFileType::FlacPcm24};
constexpr const char* kSplits[] = {"train", "validate", "test"};

void check_range(const char* name, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    throw Error(fmt::format("demo data: {} = {} is outside {}-{}.", name, value, lo, hi));
}

// Coloured background noise (white + a low-passed part) at `snr_db` below the calls' power.
void add_noise(std::vector<float>& clip, double snr_db, DemoRng& rng) {
  double signal_power = 0;
  for (float v : clip) signal_power += double(v) * v;
  signal_power /= std::max<size_t>(clip.size(), 1);
  std::vector<double> noise(clip.size());
  double low = 0, noise_power = 0;
  const double pole = rng.uniform(0.8, 0.98);
  for (auto& n : noise) {
    double w = rng.normal();
    low = pole * low + (1 - pole) * w * 4;
    n = 0.5 * w + low;
    noise_power += n * n;
  }
  noise_power /= std::max<size_t>(noise.size(), 1);
  double gain = std::sqrt(signal_power / std::max(noise_power, 1e-12) / std::pow(10.0, snr_db / 10));
  for (size_t i = 0; i < clip.size(); ++i) clip[i] += static_cast<float>(gain * noise[i]);
}

void normalize_peak(std::vector<float>& clip, double peak) {
  float max_abs = 0;
  for (float v : clip) max_abs = std::max(max_abs, std::fabs(v));
  if (max_abs <= 0) return;
  const float g = static_cast<float>(peak / max_abs);
  for (auto& v : clip) v *= g;
}

// Names this generator gives clips of `split`: {slug}_{split}_NNN.{wav,flac}.
bool is_demo_clip_name(const std::string& name, const std::string& split) {
  for (const auto& sp : kSpecies) {
    const std::string prefix = std::string(sp.slug) + "_" + split + "_";
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    size_t i = prefix.size(), digits = 0;
    while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) ++i, ++digits;
    const std::string ext = name.substr(i);
    if (digits >= 3 && (ext == ".wav" || ext == ".flac")) return true;
  }
  return false;
}

// With --force over an older demo dataset: clips of ours that this run did not
// write (another seed picked another format, or fewer clips) would linger unlisted.
void remove_stale_clips(const fs::path& dir, const std::string& split, const std::set<std::string>& written) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && is_demo_clip_name(name, split) && !written.count(name)) fs::remove(it->path(), ec);
  }
}

}  // namespace

DemoDataSummary write_demo_data(const DemoDataOptions& o) {
  check_range("train_per_species", o.train_per_species, 1, DemoDataOptions::kMaxClipsPerSpecies);
  check_range("validate_per_species", o.validate_per_species, 1, DemoDataOptions::kMaxClipsPerSpecies);
  check_range("test_per_species", o.test_per_species, 1, DemoDataOptions::kMaxClipsPerSpecies);
  check_range("min_seconds", o.min_seconds, DemoDataOptions::kMinSeconds, DemoDataOptions::kMaxSeconds);
  check_range("max_seconds", o.max_seconds, o.min_seconds, DemoDataOptions::kMaxSeconds);
  const fs::path out(o.out_dir);
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    throw Error(fmt::format("{}: exists and is not a folder; choose another output folder.", o.out_dir));
  if (fs::is_directory(out, ec) && !fs::is_empty(out, ec) && !o.force)
    throw Error(fmt::format("{}: folder is not empty; choose an empty or new folder, or pass --force to "
                            "write the demo dataset into it anyway.", o.out_dir));

  DemoDataSummary summary;
  summary.out_dir = o.out_dir;
  for (const auto& s : kSpecies) summary.species.push_back(s.name);
  std::sort(summary.species.begin(), summary.species.end());

  const int per_split[] = {o.train_per_species, o.validate_per_species, o.test_per_species};
  for (int split = 0; split < 3; ++split) {
    const fs::path dir = out / kSplits[split];
    fs::create_directories(dir, ec);
    if (ec)
      throw Error(fmt::format("{}: cannot create the folder ({}).", dir.string(), ec.message()));
    std::vector<std::vector<std::string>> rows = {{"file_name", "source", "species_name"}};
    std::set<std::string> written;
    for (size_t sp = 0; sp < std::size(kSpecies); ++sp) {
      const DemoSpecies& species = kSpecies[sp];
      for (int i = 0; i < per_split[split]; ++i) {
        // One independent stream per clip: names are unique across splits, and
        // the clips of one split do not change when another split's count does.
        DemoRng rng(mix_seed(o.seed, sp + 1, static_cast<uint64_t>(split * 100000 + i)));
        const int rate = kRates[rng.below(static_cast<int>(std::size(kRates)))];
        const AudioFileType type = kTypes[rng.below(static_cast<int>(std::size(kTypes)))];
        const double snr = kSnrDb[rng.below(static_cast<int>(std::size(kSnrDb)))];
        const double seconds = rng.uniform(o.min_seconds, o.max_seconds);
        std::vector<float> clip(static_cast<size_t>(seconds * rate), 0.0f);
        add_calls(species.call, rate, rng, clip);
        add_noise(clip, snr, rng);
        normalize_peak(clip, rng.uniform(0.1, 0.8));

        const std::string name = fmt::format("{}_{}_{:03d}.{}", species.slug, kSplits[split], i + 1,
                                             file_extension(type));
        std::string bytes = encode_audio(clip, rate, type);
        summary.bytes += bytes.size();
        write_file_atomic((dir / name).string(), bytes);
        written.insert(name);
        rows.push_back({name,
                        fmt::format("synthetic {}, {} Hz, SNR {:g} dB, seed {}", call_type_name(species.call),
                                    rate, snr, o.seed),
                        species.name});
        ++summary.clips[split];
      }
    }
    remove_stale_clips(dir, kSplits[split], written);
    // As in the original data: train uses a shared-string table, the others inline strings.
    XlsxWriteOptions xo;
    xo.shared_strings = split == 0;
    xo.sheet_name = split == 0 ? "train" : "Sheet1";
    write_xlsx((out / (std::string(kSplits[split]) + "_metadata.xlsx")).string(), rows, xo);
  }
  write_file_atomic((out / "README.md").string(),
                    fmt::format("# pelagos demo dataset (synthetic, seed {})\n\n"
                                "Written by `pelagos demo-data`. {} invented species, one call type each "
                                "(up-sweeps, down-sweeps, click trains, harmonic whistles, pulsed calls, low "
                                "moans), {} / {} / {} clips in train / validate / test, {:g}-{:g} s each, "
                                "native rates 8-96 kHz, WAV and FLAC, background noise at 6-30 dB SNR.\n"
                                "The recordings are synthetic and carry no biological meaning.\n",
                                o.seed, std::size(kSpecies), summary.clips[0], summary.clips[1],
                                summary.clips[2], o.min_seconds, o.max_seconds));
  return summary;
}

}  // namespace pelagos
