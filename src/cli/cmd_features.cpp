// `pelagos features INPUT... --out FILE.npy`: log-mel patches as .npy. Inputs are
// expanded and the frontend parameters validated here, so mistakes are reported
// before LibTorch loads; the work runs in pelagos_torch (features_command.cpp).
#include <memory>

#include "audio/audio_files.h"
#include "cli/cli.h"
#include "features/features_command.h"

namespace pelagos::cli {
namespace {

struct FeaturesFlags {
  std::vector<std::string> inputs;
  std::string frontend = "vggish";
  std::string out;
  int patch_hop = 0;
  std::string short_clip = "pad";
  int channel = -1;
  std::string index;
  bool no_cache = false;
};

FrontendParams frontend_params(const FeaturesFlags& flags) {
  FrontendParams p;
  p.kind = flags.frontend == "seed" ? FrontendKind::Seed : FrontendKind::VGGish;
  if (flags.patch_hop > 0) p.patch_hop_frames = flags.patch_hop;
  p.short_clip = flags.short_clip == "drop" ? ShortClipPolicy::Drop : ShortClipPolicy::PadToOnePatch;
  p.channel = flags.channel;
  p.validate();
  return p;
}

}  // namespace

void add_features_command(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<FeaturesFlags>();
  CLI::App* cmd = app.add_subcommand("features", "Write log-mel patches (N x 96 x 64 float32) as .npy");
  cmd->add_option("inputs", flags->inputs, "Audio files or folders (searched recursively)")->required();
  cmd->add_option("--frontend", flags->frontend, "vggish: 0.96 s patches; seed: one patch per 5 s clip")
      ->check(CLI::IsMember({"vggish", "seed"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", flags->out, "Output .npy file")->required();
  cmd->add_option("--patch-hop", flags->patch_hop, "Frames between patch starts (default 96: no overlap)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--short", flags->short_clip, "Clips shorter than one patch: pad to one patch, or drop")
      ->check(CLI::IsMember({"pad", "drop"}))
      ->capture_default_str();
  cmd->add_option("--channel", flags->channel, "0-based channel to use (default: mean of all channels)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--index", flags->index, "Also write a CSV index: row,file,patch,start_s");
  cmd->add_flag("--no-cache", flags->no_cache, "Neither read nor write the feature cache");
  cmd->callback([flags, &global] {
    FeaturesCommandOptions opts;
    opts.files = find_audio_files(flags->inputs);
    opts.params = frontend_params(*flags);
    opts.out_npy = flags->out;
    opts.index_csv = flags->index;
    opts.cache_dir = flags->no_cache ? std::string() : global.resolved_cache_dir();
    opts.threads = global.threads;
    opts.quiet = global.quiet;
    opts.verbose = global.verbose;
    global.exit_code = call_torch_command("features", &opts);
  });
}

}  // namespace pelagos::cli
