// VGGish with the synthetic weight fixtures against the reference outputs of
// torchvggish (../shared/reference/vggish/README.md): both .pth layouts, every
// reference input. Each 289 MB fixture is read once per test suite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "model/vggish_pca.h"
#include "model/postprocess.h"
#include "model/pth_reader.h"
#include "model/vggish_fixture.h"
#include "model/weights.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/npy.h"

namespace pelagos {
namespace {

constexpr const char* kFixtures[] = {"fixture_vggish_zip.pth", "fixture_vggish_legacy.pth"};

torch::Tensor load_npy(const std::string& path) {
  NpyArray a = read_npy(path);
  auto opts = torch::TensorOptions().dtype(a.dtype == "|u1" ? torch::kUInt8 : torch::kFloat32);
  if (a.dtype != "<f4" && a.dtype != "|u1") throw std::runtime_error("unexpected dtype in " + path);
  return torch::from_blob(a.bytes.data(), a.shape, opts).clone();
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".npy") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.numel() == 0) return 0.0;
  return (a - b).abs().max().item<double>();
}

class VGGishParity : public ::testing::Test {
 protected:
  struct Loaded {
    RawStateDict raw;
    VGGish model;
  };
  static std::map<std::string, Loaded>* loaded_;

  static void SetUpTestSuite() {
    if (test::shared_dir().empty()) return;
    loaded_ = new std::map<std::string, Loaded>();
    for (const char* name : kFixtures) {
      const std::string path = test::vggish_weight_fixture(name);
      Loaded l;
      l.raw = read_pth(path).tensors;
      apply_vggish_state_dict(l.model, l.raw, path);
      l.model->eval();
      loaded_->emplace(name, std::move(l));
    }
  }
  static void TearDownTestSuite() {
    delete loaded_;
    loaded_ = nullptr;
  }
  void SetUp() override { PELAGOS_REQUIRE_SHARED(); }

  static std::string ref(const std::string& rel) { return test::vggish_reference_dir() + "/" + rel; }
  static std::string frontend(const std::string& rel) { return test::shared_dir() + "/reference/frontend/" + rel; }
};
std::map<std::string, VGGishParity::Loaded>* VGGishParity::loaded_ = nullptr;

TEST_F(VGGishParity, BothLayoutsHoldIdenticalTensors) {
  const auto& zip = loaded_->at(kFixtures[0]).raw;
  const auto& legacy = loaded_->at(kFixtures[1]).raw;
  ASSERT_EQ(zip.size(), 18u);
  ASSERT_EQ(zip.size(), legacy.size());
  for (size_t i = 0; i < zip.size(); ++i) {
    EXPECT_EQ(zip[i].first, legacy[i].first);
    EXPECT_EQ(zip[i].second.shape, legacy[i].second.shape);
    EXPECT_TRUE(zip[i].second.to_float32() == legacy[i].second.to_float32()) << zip[i].first;
  }
  auto a = loaded_->at(kFixtures[0]).model->named_parameters();
  for (const auto& p : loaded_->at(kFixtures[1]).model->named_parameters())
    EXPECT_TRUE(torch::equal(p.value(), a[p.key()])) << p.key();
}

TEST_F(VGGishParity, ContentHashMatchesFixtureInfo) {
  std::ifstream in(ref("fixture_vggish_info.json"));
  const auto info = nlohmann::json::parse(in);
  for (const char* name : kFixtures)
    EXPECT_EQ(content_sha256(loaded_->at(name).raw), info["content_sha256"].get<std::string>()) << name;
}

TEST_F(VGGishParity, FeaturesEmbeddingsAndPostprocessing) {
  const PcaParams pca = read_pca_params(ref("vggish_pca_params.npz"));
  torch::NoGradGuard no_grad;
  for (const char* fixture : kFixtures) {
    VGGish& model = loaded_->at(fixture).model;
    for (const auto& name : names_in(frontend("vggish"))) {
      SCOPED_TRACE(std::string(fixture) + " / " + name);
      auto x = load_npy(frontend("vggish/" + name + ".npy"));
      x = x.unsqueeze(1);  // (N, 1, 96, 64)
      const int64_t n = x.size(0);
      auto features = model->conv_features(x).reshape({n, kFeatureSize});
      auto expected_features = load_npy(ref("expected/" + name + ".features_nchw.npy"));
      ASSERT_EQ(features.sizes(), expected_features.sizes());
      EXPECT_LE(max_abs_diff(features, expected_features), 1e-4);

      auto embedding = model->embed(x);
      auto expected_embedding = load_npy(ref("expected/" + name + ".embedding.npy"));
      ASSERT_EQ(embedding.sizes(), expected_embedding.sizes());
      EXPECT_LE(max_abs_diff(embedding, expected_embedding), 1e-5);

      // Quantizing to 8 bits is discontinuous: an embedding within the 1e-5 above
      // may land one step away where it sits on a bucket edge (channels-last
      // convolutions sum in another order than the reference's). Allow that for a
      // few values; a wrong rounding rule moves far more (checked last).
      auto one_step_at_most = [](const torch::Tensor& got, const torch::Tensor& want) {
        const torch::Tensor d = (got.to(torch::kInt32) - want.to(torch::kInt32)).abs();  // uint8 would wrap
        return d.numel() == 0 || (d.max().item<double>() <= 1.0 && d.gt(0).sum().item<int64_t>() * 200 <= d.numel());
      };
      auto post = postprocess_embeddings(embedding, pca);
      EXPECT_TRUE(one_step_at_most(post, load_npy(ref("expected/" + name + ".postprocessed.npy"))));
      auto post_tf = postprocess_embeddings(embedding, pca, PcaRounding::Truncate);
      const torch::Tensor expected_tf = load_npy(ref("expected/" + name + ".postprocessed_tf.npy"));
      EXPECT_TRUE(one_step_at_most(post_tf, expected_tf));
      if (n > 0) EXPECT_FALSE(one_step_at_most(post, post_tf));  // the rounding rule matters
    }
  }
}

TEST_F(VGGishParity, SeedFrontendFeatures) {
  torch::NoGradGuard no_grad;
  for (const char* fixture : kFixtures) {
    VGGish& model = loaded_->at(fixture).model;
    for (const auto& name : names_in(ref("expected/seed"))) {
      const std::string stem = name.substr(0, name.find('.'));
      SCOPED_TRACE(std::string(fixture) + " / seed " + stem);
      auto x = load_npy(frontend("seed/" + stem + ".npy")).reshape({1, 1, 96, 64});
      auto features = model->conv_features(x).reshape({1, kFeatureSize});
      EXPECT_LE(max_abs_diff(features, load_npy(ref("expected/seed/" + name + ".npy"))), 1e-4);
    }
  }
}

TEST_F(VGGishParity, EmptyBatchGivesNoRows) {
  torch::NoGradGuard no_grad;
  auto x = torch::zeros({0, 1, 96, 64});
  VGGish& model = loaded_->at(kFixtures[0]).model;
  EXPECT_EQ(model->conv_features(x).size(0), 0);
  auto e = model->embed(x);
  EXPECT_EQ(e.sizes(), (std::vector<int64_t>{0, 128}));
  EXPECT_EQ(postprocess_embeddings(e, read_pca_params(ref("vggish_pca_params.npz"))).size(0), 0);
}

TEST_F(VGGishParity, PcaFilesAgree) {
  const PcaParams npz = read_pca_params(ref("vggish_pca_params.npz"));
  const PcaParams pth = read_pca_params(ref("vggish_pca_params_torchvggish_layout.pth"));
  EXPECT_EQ(npz.eigen_vectors, pth.eigen_vectors);
  EXPECT_EQ(npz.means, pth.means);
  EXPECT_EQ(npz.eigen_vectors.size(), 128u * 128u);
  // torchvggish's release layout: legacy torch.save of numpy arrays.
  const PcaParams replica = read_pca_params(ref("vggish_pca_params_release_replica_legacy.pth"));
  EXPECT_EQ(npz.eigen_vectors, replica.eigen_vectors);
  EXPECT_EQ(npz.means, replica.means);
}

TEST_F(VGGishParity, WeightLoadingRefusesNumpyGlobals) {
  try {
    read_pth(ref("vggish_pca_params_release_replica_legacy.pth"));
    FAIL() << "numpy globals accepted without numpy_arrays";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'numpy.core.multiarray._reconstruct'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pelagos
