#include "cli/common_flags.h"

#include <fmt/format.h>

#include "cli/cli.h"
#include "features/noise_profile.h"
#include "pelagos/error.h"

namespace pelagos::cli {
namespace {
std::string flag_name(const char* field) {
  std::string flag = std::string("--") + field;
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}
}  // namespace

// Through FrontendParams::from_json, so names and ranges are checked (and reported) in one place.
FrontendParams FrontendFlags::params() const {
  nlohmann::json j = {{"kind", frontend}, {"short_clip", short_clip}, {"resampler", resampler}, {"channel", channel}};
  if (patch_hop > 0) j["patch_hop_frames"] = patch_hop;
  j["denoise"] = denoise;
  for (const auto& [field, value] : denoise_values) j[field] = value;
  FrontendParams p = FrontendParams::from_json(j);
  if (!noise_file.empty()) {
    if (p.denoise == DenoiseKind::Off) throw Error("--noise-file needs --denoise spectral-gate");
    NoiseProfileRequest request{&p, noise_file};
    call_torch_command("noise_profile", &request);
  }
  p.validate();
  return p;
}

void add_frontend_flags(CLI::App* cmd, FrontendFlags& flags) {
  cmd->add_option("--frontend", flags.frontend, "vggish: 0.96 s patches; seed: one patch per 5 s clip")
      ->check(CLI::IsMember({"vggish", "seed"}))
      ->capture_default_str();
  cmd->add_option("--patch-hop", flags.patch_hop, "Frames between patch starts (default 96: no overlap)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--short", flags.short_clip, "Clips shorter than one patch: pad to one patch, or drop")
      ->check(CLI::IsMember({"pad", "drop"}))
      ->capture_default_str();
  cmd->add_option("--channel", flags.channel, "0-based channel to use (default: mean of all channels)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--resampler", flags.resampler,
                  "auto (sinc for seed, soxr for vggish), soxr (libsoxr HQ) or sinc (torchaudio's)")
      ->check(CLI::IsMember({"auto", "soxr", "sinc"}))
      ->capture_default_str();
  cmd->add_option("--denoise", flags.denoise, "Noise reduction before the mel filterbank: off or spectral-gate")
      ->check(CLI::IsMember({"off", "spectral-gate"}))
      ->capture_default_str();
  cmd->add_option("--noise-file", flags.noise_file,
                  "Recording of the noise alone: the gate's noise estimate (default: each clip's quietest frames)")
      ->check(CLI::ExistingFile);
  for (const DenoiseField& f : denoise_fields()) {
    cmd->add_option_function<double>(
        flag_name(f.name), [&flags, name = std::string(f.name)](double v) { flags.denoise_values[name] = v; },
        fmt::format("{} (default {:g})", f.help, f.default_value));
  }
}

AugmentParams AugmentFlags::params() const {
  nlohmann::json j = file.empty() ? nlohmann::json::object() : read_augment_params(file).to_json();
  for (const auto& [field, value] : values) j[field] = value;
  if (seed_set) j["augment_seed"] = seed;
  if (!noise_dir.empty()) j["noise_dir"] = noise_dir;
  return AugmentParams::from_json(j, file.empty() ? "augmentation flags" : file + " + flags");
}

void add_augment_flags(CLI::App* cmd, AugmentFlags& flags) {
  cmd->add_option("--augment", flags.file, "Training-only augmentation JSON (AugmentParams keys; flags override)")
      ->check(CLI::ExistingFile);
  cmd->add_option_function<uint64_t>(
      "--augment-seed", [&flags](uint64_t v) { flags.seed = v, flags.seed_set = true; },
      "Seed of the augmentation draws (SpecAugment and mixup also follow the training seed)");
  cmd->add_option("--noise-dir", flags.noise_dir,
                  "Noise recordings for added-noise augmentation (default: other training clips' quietest second)")
      ->check(CLI::ExistingDirectory)
      ->group("Augmentation");
  for (const AugmentField& f : augment_fields()) {
    const std::string help = fmt::format("{} (default {:g})", f.help, f.default_value);
    auto* option = f.integer ? cmd->add_option_function<int>(
                                   flag_name(f.name), [&flags, name = std::string(f.name)](int v) { flags.values[name] = v; }, help)
                             : cmd->add_option_function<double>(
                                   flag_name(f.name), [&flags, name = std::string(f.name)](double v) { flags.values[name] = v; }, help);
    option->group("Augmentation");
  }
}

void add_weights_flags(CLI::App* cmd, WeightsFlags& flags) {
  auto* weights = cmd->add_option("--weights", flags.path,
                                  "torchvggish weights .pth (default: the PyTorch hub cache's vggish-10086976.pth)");
  auto* init = cmd->add_option("--init", flags.init, "random: seeded random VGGish weights (NOT pretrained)")
                   ->check(CLI::IsMember({"random"}));
  cmd->add_option("--seed", flags.seed, "Seed of --init random (tune: also the sampler and training seed)")->capture_default_str();
  weights->excludes(init);
}

void add_device_flags(CLI::App* cmd, std::string& device, std::string& precision) {
  cmd->add_option("--device", device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_option("--precision", precision,
                  "float32, or bfloat16: convolutions and matrix products under autocast, ~2x faster on CPUs "
                  "with AVX512-BF16/AMX (weights and results stay float32)")
      ->check(CLI::IsMember({"float32", "fp32", "bfloat16", "bf16"}))
      ->capture_default_str();
}

}  // namespace pelagos::cli
