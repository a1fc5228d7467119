// Frontend throughput in seconds of audio per second (counter "audio_s", a
// rate), on one thread: compute_patches for both frontends, AudioStream
// decode + resample from native-rate files, and the whole file -> patches path.
#include <benchmark/benchmark.h>

#include <ATen/Parallel.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "features/patch_stream.h"
#include "pelagos/audio.h"
#include "pelagos/frontend.h"

namespace pelagos {
namespace {

std::vector<float> noisy_tone(double seconds, int rate) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  std::vector<float> x(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = 0.3f * float(std::sin(2 * M_PI * 1234.5 * double(i) / rate)) + noise(rng);
  return x;
}

// A 16-bit WAV of `seconds` at `rate`, written once per process under the temp folder.
std::string bench_file(int rate, double seconds) {
  static std::map<std::pair<int, double>, std::string> made;
  auto key = std::make_pair(rate, seconds);
  if (auto it = made.find(key); it != made.end()) return it->second;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("pelagos-bench-" + std::to_string(rate) + "-" + std::to_string(int(seconds)) + ".wav"))
                               .string();
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  const auto x = noisy_tone(seconds, rate);
  sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size()));
  sf_close(f);
  return made[key] = path;
}

void set_rate(benchmark::State& state, double audio_seconds) {
  state.counters["audio_s"] =
      benchmark::Counter(audio_seconds * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ComputePatchesVGGish(benchmark::State& state) {
  at::set_num_threads(1);
  const double seconds = double(state.range(0));
  const auto x = noisy_tone(seconds, 16000);
  FrontendParams p;
  for (auto _ : state) benchmark::DoNotOptimize(compute_patches(x, p).data.data());
  set_rate(state, seconds);
}
BENCHMARK(BM_ComputePatchesVGGish)->Arg(5)->Arg(60)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_ComputePatchesSeed(benchmark::State& state) {
  at::set_num_threads(1);
  const auto x = noisy_tone(5.0, 16000);
  FrontendParams p;
  p.kind = FrontendKind::Seed;
  for (auto _ : state) benchmark::DoNotOptimize(compute_patches(x, p).data.data());
  set_rate(state, 5.0);
}
BENCHMARK(BM_ComputePatchesSeed)->Unit(benchmark::kMillisecond);

void BM_DecodeResample(benchmark::State& state) {
  const int rate = int(state.range(0));
  const double seconds = 60;
  const std::string path = bench_file(rate, seconds);
  AudioReadOptions options;
  options.resampler = state.range(1) ? ResamplerKind::Sinc : ResamplerKind::Soxr;
  std::vector<float> chunk;
  for (auto _ : state) {
    AudioStream stream(path, options);
    for (;;) {
      chunk.clear();
      if (stream.read(chunk, 1 << 16) == 0) break;
    }
  }
  set_rate(state, seconds);
  state.SetLabel(to_string(options.resampler));
}
BENCHMARK(BM_DecodeResample)
    ->ArgsProduct({{5000, 16000, 44100, 96000, 166000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The path `pelagos features` / predict take: file -> AudioStream -> PatchStream.
void BM_FileToPatchesVGGish(benchmark::State& state) {
  at::set_num_threads(1);
  const int rate = int(state.range(0));
  const double seconds = 300;
  const std::string path = bench_file(rate, seconds);
  FrontendParams p;
  std::vector<float> chunk;
  for (auto _ : state) {
    AudioStream stream(path, p.audio_options());
    PatchStream patches(p);
    Patches out;
    for (;;) {
      chunk.clear();
      if (stream.read(chunk, 1 << 18) == 0) break;
      patches.push(chunk.data(), chunk.size(), out);
      out.data.clear();
    }
    patches.finish(out);
    benchmark::DoNotOptimize(out.data.data());
  }
  set_rate(state, seconds);
}
BENCHMARK(BM_FileToPatchesVGGish)->Arg(16000)->Arg(44100)->Arg(96000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pelagos
