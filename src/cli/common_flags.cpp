#include "cli/common_flags.h"

namespace pelagos::cli {

void add_dataset_flags(CLI::App* cmd, DatasetOptions& options) {
  cmd->add_option("--data", options.root, "Dataset root: train/ validate/ test/ + {split}_metadata.xlsx")
      ->required();
  cmd->add_option("--metadata", options.metadata_pattern,
                  "Metadata file per split ({split} is replaced; .xlsx or .csv)")
      ->capture_default_str();
  cmd->add_option("--file-column", options.file_column,
                  "File-name column: header name or 0-based index (default: file_name, else 0)");
  cmd->add_option("--species-column", options.species_column,
                  "Species column: header name or 0-based index (default: species_name, else 2)");
  cmd->add_flag("--drop-unknown-species", options.drop_unknown_species,
                "Drop (with a warning) clips whose species is absent from train, instead of failing");
}

FrontendParams FrontendFlags::params() const {
  FrontendParams p;
  p.kind = frontend == "seed" ? FrontendKind::Seed : FrontendKind::VGGish;
  if (patch_hop > 0) p.patch_hop_frames = patch_hop;
  p.short_clip = short_clip == "drop" ? ShortClipPolicy::Drop : ShortClipPolicy::PadToOnePatch;
  p.channel = channel;
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
