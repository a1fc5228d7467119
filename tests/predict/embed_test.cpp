#include "predict/embed.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "model/postprocess.h"
#include "model/vggish_fixture.h"
#include "model/vggish_pca.h"
#include "model/weights.h"
#include "pelagos/audio.h"
#include "pelagos/frontend.h"
#include "predict/embedding_writer.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/npy.h"

namespace pelagos {
namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

// Two recordings: 3.2 s (3 patches) and 0.5 s (padded to 1 patch).
struct Inputs {
  test::TempDir dir;
  std::string a = dir.file("a.wav"), b = dir.file("b.wav");
  Inputs() {
    auto tone = test::sine(1000, 3.2, 16000, 0.3);
    for (size_t i = 0; i < tone.size(); i += 7) tone[i] += 0.05f;  // some broadband content
    test::write_audio(a, tone, 16000);
    test::write_audio(b, test::sine(500, 0.5, 16000, 0.3), 16000);
  }
};

// What embed should produce: whole-file patches through the same network.
torch::Tensor direct_embeddings(VGGish& model, const std::vector<std::string>& files) {
  std::vector<torch::Tensor> parts;
  torch::NoGradGuard no_grad;
  for (const auto& f : files) {
    Patches p = compute_patches(read_audio(f).samples, FrontendParams{});
    auto x = torch::from_blob(p.data.data(), {p.count, 1, 96, 64}, torch::kFloat32);
    parts.push_back(model->embed(x).clone());
  }
  return torch::cat(parts);
}

TEST(EmbedCommand, StreamedNpyEqualsWholeFileComputation) {
  Inputs in;
  EmbedOptions o;
  o.inputs = {in.a, in.b};
  o.out = in.dir.file("e.npy");
  o.weights.random_init = true;
  o.weights.seed = 3;
  o.chunk_seconds = 0.37;  // patches straddle chunk boundaries
  o.batch_size = 2;        // several forward passes per file
  o.quiet = true;
  ASSERT_EQ(run_embed(o), 0);

  NpyArray npy = read_npy(o.out);
  ASSERT_EQ(npy.dtype, "<f4");
  ASSERT_EQ(npy.shape, (std::vector<int64_t>{4, 128}));
  VGGish model;
  init_vggish_random(model, 3);
  auto expected = direct_embeddings(model, o.inputs);
  auto got = torch::from_blob(npy.bytes.data(), {4, 128}, torch::kFloat32);
  EXPECT_LE((got - expected).abs().max().item<double>(), 1e-5);
  EXPECT_GT(got.abs().sum().item<double>(), 0.0);

  auto index = read_csv(EmbeddingWriter::index_path(o.out));
  ASSERT_EQ(index.size(), 5u);
  EXPECT_EQ(index[0], (std::vector<std::string>{"file", "start_s", "end_s"}));
  EXPECT_EQ(index[1], (std::vector<std::string>{in.a, "0", "0.96"}));
  EXPECT_EQ(index[3], (std::vector<std::string>{in.a, "1.92", "2.88"}));
  EXPECT_EQ(index[4], (std::vector<std::string>{in.b, "0", "0.96"}));

  auto meta = nlohmann::json::parse(read_file(in.dir.file("e.meta.json")));
  EXPECT_EQ(meta["rows"], 4);
  EXPECT_EQ(meta["weights"]["pretrained"], false);
  EXPECT_EQ(meta["weights"]["description"], "random init (seed 3), NOT pretrained");
}

TEST(EmbedCommand, CsvPostprocessedWithFixtureWeights) {
  PELAGOS_REQUIRE_SHARED();
  Inputs in;
  const std::string weights = test::vggish_weight_fixture("fixture_vggish_zip.pth");
  const std::string pca_path = test::vggish_reference_dir() + "/vggish_pca_params.npz";
  const std::string out = in.dir.file("e.csv");
  ASSERT_EQ(cli::run_cli({"-q", "embed", in.a, in.b, "--out", out, "--format", "csv", "--weights", weights,
                          "--postprocess", "--pca", pca_path}),
            0);
  auto rows = read_csv(out);
  ASSERT_EQ(rows.size(), 5u);
  ASSERT_EQ(rows[0].size(), 3u + 128u);
  EXPECT_EQ(rows[0][3], "e0");
  EXPECT_EQ(rows[0][130], "e127");

  VGGish model;
  load_vggish_weights(model, weights);
  auto expected = postprocess_embeddings(direct_embeddings(model, {in.a, in.b}), read_pca_params(pca_path));
  for (int64_t r = 0; r < 4; ++r) {
    ASSERT_EQ(rows[static_cast<size_t>(r + 1)].size(), 131u);
    for (int64_t c = 0; c < 128; ++c)
      EXPECT_EQ(std::stoi(rows[static_cast<size_t>(r + 1)][static_cast<size_t>(c + 3)]),
                expected[r][c].item<int>()) << "row " << r << " col " << c;
  }
  auto meta = nlohmann::json::parse(read_file(in.dir.file("e.meta.json")));
  EXPECT_EQ(meta["weights"]["pretrained"], true);
  EXPECT_EQ(meta["weights"]["format"], "zip");
}

TEST(EmbedCommand, UserErrors) {
  Inputs in;
  const std::string out = in.dir.file("e.npy");
  // --postprocess without PCA parameters.
  EXPECT_EQ(cli::run_cli({"-q", "embed", in.a, "--out", out, "--init", "random", "--postprocess"}), 1);
  // No weights anywhere.
  test::TempDir home;
  const char* old = std::getenv("TORCH_HOME");
  const std::string saved = old ? old : "";
  setenv("TORCH_HOME", home.path().c_str(), 1);
  EXPECT_EQ(cli::run_cli({"-q", "embed", in.a, "--out", out}), 1);
  old ? setenv("TORCH_HOME", saved.c_str(), 1) : unsetenv("TORCH_HOME");
  EXPECT_FALSE(std::filesystem::exists(out));
  // --weights and --init random together.
  EXPECT_NE(cli::run_cli({"-q", "embed", in.a, "--out", out, "--init", "random", "--weights", in.a}), 0);
}

}  // namespace
}  // namespace pelagos
