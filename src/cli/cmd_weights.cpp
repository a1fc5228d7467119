// `pelagos weights fetch` (download torchvggish's released weights into
// PyTorch's hub cache; no LibTorch needed) and `pelagos weights info`.
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include "cli/cli.h"
#include "model/weights_info.h"
#include "model/weights_spec.h"
#include "pelagos/error.h"
#include "util/download.h"
#include "util/paths.h"
#include "util/sha256.h"

namespace pelagos::cli {
namespace {

struct FetchOptions {
  std::string url = kVGGishWeightsUrl;
  std::string sha256 = kVGGishWeightsSha256;
  std::string out;  // empty: hub cache
  bool force = false;
};

void run_fetch(const FetchOptions& o, const GlobalOptions& global) {
  namespace fs = std::filesystem;
  const std::string target =
      o.out.empty() ? (fs::path(torch_hub_checkpoints_dir()) / kVGGishWeightsFile).string() : o.out;
  if (fs::exists(target) && !o.force) {
    const std::string have = sha256_file(target);
    if (have != o.sha256)
      throw Error(fmt::format("{} exists but its sha256 is {}, expected {}. Pass --force to download it again.",
                              target, have, o.sha256));
    if (!global.quiet) std::cerr << fmt::format("{} is already present (sha256 verified).\n", target);
    std::cout << target << "\n";
    return;
  }
  download_file({o.url, target, o.sha256, !global.quiet});
  std::cout << target << "\n";
}

}  // namespace

void add_weights_command(CLI::App& app, GlobalOptions& global) {
  CLI::App* weights = app.add_subcommand("weights", "Fetch or check pretrained VGGish weights");
  weights->require_subcommand(1);
  weights->footer("Examples:\n  pelagos weights fetch\n  pelagos weights info\n  pelagos weights info ~/Downloads/vggish-10086976.pth\n"
                  "Offline: copy vggish-10086976.pth into $TORCH_HOME/hub/checkpoints (default ~/.cache/torch/hub/checkpoints).");

  auto fetch = std::make_shared<FetchOptions>();
  CLI::App* f = weights->add_subcommand(
      "fetch", "Download torchvggish's vggish-10086976.pth into PyTorch's hub cache and verify its sha256");
  f->add_option("--url", fetch->url, "Where to download from")->capture_default_str();
  f->add_option("--sha256", fetch->sha256, "Expected sha256 of the file (lowercase hex)")->capture_default_str();
  f->add_option("--out", fetch->out, "Write here instead of the hub cache ($TORCH_HOME/hub/checkpoints)");
  f->add_flag("--force", fetch->force, "Download even when the file is already present");
  f->callback([fetch, &global] { run_fetch(*fetch, global); });

  auto info = std::make_shared<WeightsInfoOptions>();
  CLI::App* i = weights->add_subcommand("info", "Where pelagos looks for VGGish weights, what it finds, and checks");
  i->add_option("path", info->path, "A weight file to check (default: the hub cache's vggish-10086976.pth)");
  i->callback([info, &global] { global.exit_code = call_torch_command("weights_info", info.get()); });
}

}  // namespace pelagos::cli
