// `pelagos features INPUT... --out FILE.npy`: log-mel patches as .npy. Inputs are
// expanded and the frontend parameters validated here, so mistakes are reported
// before LibTorch loads; the work runs in pelagos_torch (features_command.cpp).
#include <memory>

#include "audio/audio_files.h"
#include "cli/cli.h"
#include "cli/common_flags.h"
#include "features/features_command.h"

namespace pelagos::cli {
namespace {

struct FeaturesFlags {
  std::vector<std::string> inputs;
  FrontendFlags frontend;
  std::string out;
  std::string index;
  bool no_cache = false;
};

}  // namespace

void add_features_command(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<FeaturesFlags>();
  CLI::App* cmd = app.add_subcommand("features", "Write log-mel patches (N x 96 x 64 float32) as .npy");
  cmd->footer("Examples:\n  pelagos features recordings/ --out patches.npy --index patches.csv\n"
              "  pelagos features clip.wav --frontend seed --out seed.npy");
  cmd->add_option("inputs", flags->inputs, "Audio files or folders (searched recursively)")->required();
  cmd->add_option("-o,--out", flags->out, "Output .npy file")->required();
  add_frontend_flags(cmd, flags->frontend);
  cmd->add_option("--index", flags->index, "Also write a CSV index: row,file,patch,start_s");
  cmd->add_flag("--no-cache", flags->no_cache, "Neither read nor write the feature cache");
  cmd->callback([flags, &global] {
    FeaturesCommandOptions opts;
    opts.files = find_audio_files(flags->inputs);
    opts.params = flags->frontend.params();
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
