// `pelagos embed INPUT... --out FILE`: VGGish embeddings per patch (runs in pelagos_torch).
#include "cli/cli.h"
#include "predict/embed.h"

namespace pelagos::cli {

void add_embed_command(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<EmbedOptions>();
  CLI::App* cmd = app.add_subcommand("embed", "Write 128-d VGGish embeddings per patch (0.96 s) with time stamps");
  cmd->footer("Examples:\n  pelagos embed rec1.wav rec2.flac --out emb.npy\n"
              "  pelagos embed rec.wav --out emb.csv --format csv --postprocess --pca vggish_pca_params.npz");
  cmd->add_option("inputs", o->inputs, "Audio files (any libsndfile format)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", o->out, "Output file: .npy (N x 128, plus <stem>.index.csv) or .csv")->required();
  cmd->add_option("--format", o->format, "npy: N x 128 array + index CSV; csv: file,start_s,end_s,e0..e127")
      ->check(CLI::IsMember({"npy", "csv"}))
      ->capture_default_str();
  cmd->add_flag("--postprocess", o->postprocess, "PCA + uint8 quantisation as torchvggish (needs --pca)");
  cmd->add_option("--pca", o->pca_path, "PCA parameters: vggish_pca_params.npz or a .pth of tensors");
  auto* weights = cmd->add_option("--weights", o->weights.path,
                                  "VGGish state_dict (default: the hub cache's vggish-10086976.pth)");
  auto* init = cmd->add_option_function<std::string>(
      "--init", [o](const std::string& v) { o->weights.random_init = v == "random"; },
      "pretrained (default) or random: seeded random init, NOT pretrained");
  init->check(CLI::IsMember({"pretrained", "random"}));
  init->excludes(weights);
  cmd->add_option("--seed", o->weights.seed, "Seed for --init random")->capture_default_str();
  cmd->add_option("--frontend", o->frontend, "vggish (0.96 s patches) or seed (one patch per 5 s clip)")
      ->check(CLI::IsMember({"vggish", "seed"}))
      ->capture_default_str();
  cmd->add_option("--batch-size", o->batch_size, "Patches per forward pass")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  cmd->callback([o, &global] {
    o->threads = global.threads;
    o->quiet = global.quiet;
    global.exit_code = call_torch_command("embed", o.get());
  });
}

}  // namespace pelagos::cli
