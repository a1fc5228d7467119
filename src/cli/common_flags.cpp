#include "cli/common_flags.h"

namespace pelagos::cli {

// Through FrontendParams::from_json, so names and ranges are checked (and reported) in one place.
FrontendParams FrontendFlags::params() const {
  nlohmann::json j = {{"kind", frontend}, {"short_clip", short_clip}, {"resampler", resampler}, {"channel", channel}};
  if (patch_hop > 0) j["patch_hop_frames"] = patch_hop;
  FrontendParams p = FrontendParams::from_json(j);
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
}

void add_weights_flags(CLI::App* cmd, WeightsFlags& flags) {
  auto* weights = cmd->add_option("--weights", flags.path,
                                  "torchvggish weights .pth (default: the PyTorch hub cache's vggish-10086976.pth)");
  auto* init = cmd->add_option("--init", flags.init, "random: seeded random VGGish weights (NOT pretrained)")
                   ->check(CLI::IsMember({"random"}));
  cmd->add_option("--seed", flags.seed, "Seed of --init random (tune: also the sampler and training seed)")->capture_default_str();
  weights->excludes(init);
}

}  // namespace pelagos::cli
