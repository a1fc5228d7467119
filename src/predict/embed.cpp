#include "predict/embed.h"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "features/patch_stream.h"
#include "model/postprocess.h"
#include "model/runtime.h"
#include "model/vggish.h"
#include "model/vggish_pca.h"
#include "model/weights.h"
#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "predict/embedding_writer.h"
#include "util/atomic_file.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

constexpr int kEmbeddingSize = 128;

FrontendParams frontend_for(const std::string& name) {
  FrontendParams p;
  if (name == "vggish") p.kind = FrontendKind::VGGish;
  else if (name == "seed") p.kind = FrontendKind::Seed;
  else throw Error(fmt::format("--frontend {}: expected vggish or seed.", name));
  return p;
}

// Duration a patch covers: 0.96 s for VGGish (96 frames x 10 ms), one clip for seed.
double patch_seconds(const FrontendParams& p) {
  if (p.kind == FrontendKind::Seed) return p.seed_clip_seconds;
  return static_cast<double>(p.patch_frames) * p.hop_samples / p.sample_rate;
}

class Embedder {
 public:
  Embedder(const EmbedOptions& o, VGGish& model, torch::Device device, const PcaParams* pca, EmbeddingWriter& writer)
      : o_(o), model_(model), device_(device), pca_(pca), writer_(writer) {}

  // Runs the network on every buffered patch, writes the rows, returns how many.
  int64_t flush(const std::string& file, Patches& patches, double seconds) {
    const int64_t n = patches.count;
    if (n == 0) return 0;
    auto x = torch::from_blob(patches.data.data(), {patches.count, 1, patches.frames, patches.bands}, torch::kFloat32);
    torch::Tensor emb = model_->embed(x.to(device_)).to(torch::kCPU).contiguous();
    if (pca_) emb = postprocess_embeddings(emb, *pca_);
    for (int64_t i = 0; i < patches.count; ++i) {
      const double start = patches.start_s[static_cast<size_t>(i)];
      writer_.add(file, start, start + seconds, static_cast<const char*>(emb.data_ptr()) + i * emb.stride(0) * emb.element_size());
    }
    patches = Patches{0, patches.frames, patches.bands, {}, {}};
    return n;
  }

  int64_t embed_file(const std::string& path, const FrontendParams& params) {
    AudioReadOptions ro;
    ro.channel = params.channel;
    ro.target_rate = params.sample_rate;
    AudioStream audio(path, ro);
    PatchStream stream(params);
    Patches patches;
    std::vector<float> chunk;
    const size_t chunk_samples = static_cast<size_t>(std::max(1.0, o_.chunk_seconds * params.sample_rate));
    const double seconds = patch_seconds(params);
    int64_t rows = 0;
    for (;;) {
      chunk.clear();
      if (audio.read(chunk, chunk_samples) == 0) break;
      stream.push(chunk.data(), chunk.size(), patches);
      if (patches.count >= o_.batch_size) rows += flush(path, patches, seconds);
    }
    stream.finish(patches);
    return rows + flush(path, patches, seconds);
  }

 private:
  const EmbedOptions& o_;
  VGGish& model_;
  torch::Device device_;
  const PcaParams* pca_;
  EmbeddingWriter& writer_;
};

// <stem>.meta.json beside the output: what made these numbers.
std::string meta_path(const std::string& out) {
  std::filesystem::path p(out);
  return (p.parent_path() / (p.stem().string() + ".meta.json")).string();
}

nlohmann::json provenance_json(const EmbedOptions& o, const FrontendParams& params, const WeightsProvenance& w,
                               int64_t rows) {
  nlohmann::json j;
  j["rows"] = rows;
  j["dims"] = kEmbeddingSize;
  j["inputs"] = o.inputs;
  j["values"] = o.postprocess ? "uint8 PCA post-processed (torchvggish Postprocessor)" : "float32 raw embedding";
  if (o.postprocess) j["pca"] = o.pca_path;
  j["weights"] = {{"description", w.describe()}, {"pretrained", w.pretrained}, {"path", w.path},
                  {"sha256", w.sha256}, {"format", w.format}};
  if (!w.pretrained) j["weights"]["seed"] = w.seed;
  j["frontend"] = params.to_json();
  j["patch_seconds"] = patch_seconds(params);
  return j;
}

}  // namespace

int run_embed(const EmbedOptions& o) {
  if (o.inputs.empty()) throw Error("embed: give at least one audio file.");
  if (o.out.empty()) throw Error("embed: --out FILE is required.");
  if (o.format != "npy" && o.format != "csv") throw Error(fmt::format("--format {}: expected npy or csv.", o.format));
  if (o.postprocess && o.pca_path.empty())
    throw Error("--postprocess needs --pca PATH: Google's vggish_pca_params.npz "
                "(https://storage.googleapis.com/audioset/vggish_pca_params.npz) or a .pth with "
                "pca_eigen_vectors / pca_means tensors.");
  if (o.batch_size < 1) throw Error("--batch-size must be at least 1.");
  const FrontendParams params = frontend_for(o.frontend);
  for (const auto& in : o.inputs)
    if (!std::filesystem::is_regular_file(in)) throw Error(fmt::format("{}: no such audio file.", in));

  configure_threads(o.threads);
  const torch::Device device = resolve_device(o.device);
  PcaParams pca;
  if (o.postprocess) pca = read_pca_params(o.pca_path);

  VGGish model;
  const WeightsProvenance provenance = prepare_vggish(model, o.weights);
  model->to(device);
  model->eval();
  if (!o.quiet) {
    std::cerr << "embed: VGGish " << provenance.describe() << "\n";
    for (const auto& note : provenance.notes) std::cerr << "embed: note: " << note << "\n";
  }
  if (!provenance.pretrained)
    std::cerr << "embed: WARNING: the extractor is NOT pretrained (random init, seed " << provenance.seed
              << "); these embeddings carry no learned meaning.\n";

  torch::NoGradGuard no_grad;
  EmbeddingWriter writer(o.out, o.format == "npy" ? EmbeddingFormat::Npy : EmbeddingFormat::Csv, o.postprocess,
                         kEmbeddingSize);
  Embedder embedder(o, model, device, o.postprocess ? &pca : nullptr, writer);
  for (const auto& in : o.inputs) {
    const int64_t rows = embedder.embed_file(in, params);
    if (!o.quiet) std::cerr << fmt::format("embed: {}: {} patches\n", in, rows);
  }
  writer.finish();
  write_file_atomic(meta_path(o.out), provenance_json(o, params, provenance, writer.rows()).dump(2) + "\n");
  if (!o.quiet) {
    std::cerr << fmt::format("embed: wrote {} rows to {}", writer.rows(), o.out);
    if (o.format == "npy") std::cerr << fmt::format(" (index: {})", EmbeddingWriter::index_path(o.out));
    std::cerr << "\n";
  }
  return 0;
}

PELAGOS_TORCH_COMMAND(embed, EmbedOptions, run_embed)

}  // namespace pelagos
