#include "model/bundle.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/runtime.h"
#include "model/vggish_fixture.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

TrainParams small_params() {
  TrainParams p;
  p.neurons = 16;
  p.num_hidden_layers = 2;
  p.trainable_layers = 5;
  return p;
}

BundleInfo info_for(const BaseNetwork& base, const TrainParams& p) {
  BundleInfo info;
  info.labels = {"Orca", "Sperm Whale", "Humpback"};
  info.frontend.kind = FrontendKind::Seed;
  info.params = p;
  info.base_weights = base.provenance;
  info.metrics = {{"validate_accuracy", 0.5}};
  return info;
}

using test::error_of;

TEST(Bundle, RoundTripGivesTheSameLogitsAndMetadata) {
  configure_threads(1);
  test::TempDir dir;
  BaseNetwork base = make_base_network({"", true, 11});
  EXPECT_EQ(base.describe(), "random init (seed 11), NOT pretrained");
  torch::manual_seed(3);
  Classifier c(base.net, small_params(), 3);
  // Perturb the tail so the test sees that trained (not base) tail weights come back.
  {
    torch::NoGradGuard g;
    for (auto& p : c->tail->parameters()) p.add_(0.01);
  }
  const std::string path = dir.file("m.pelagos");
  save_bundle(path, info_for(base, small_params()), c);

  LoadedModel m = load_bundle(path);
  EXPECT_EQ(m.info.labels, (std::vector<std::string>{"Orca", "Sperm Whale", "Humpback"}));
  EXPECT_EQ(m.info.frontend.kind, FrontendKind::Seed);
  EXPECT_EQ(m.info.params.to_json(), small_params().to_json());
  EXPECT_EQ(m.info.metrics["validate_accuracy"], 0.5);
  EXPECT_EQ(m.info.pelagos_version, PELAGOS_VERSION);
  EXPECT_EQ(m.info.format_version, kBundleFormatVersion);
  EXPECT_EQ(read_bundle_info(path).labels.size(), 3u);

  torch::Tensor x = torch::randn({2, 1, 96, 64});
  c->eval();
  m.classifier->eval();
  torch::NoGradGuard g;
  EXPECT_TRUE(torch::equal(classify_patches(base.net, c, x), classify_patches(m.base.net, m.classifier, x)));
}

TEST(Bundle, RefusesNewerFormatsOtherFilesAndMismatchedShapes) {
  configure_threads(1);
  test::TempDir dir;
  BaseNetwork base = make_base_network({"", true, 1});
  Classifier c(base.net, small_params(), 3);

  BundleInfo newer = info_for(base, small_params());
  newer.format_version = kBundleFormatVersion + 1;
  save_bundle(dir.file("new.pelagos"), newer, c);
  EXPECT_NE(error_of([&] { load_bundle(dir.file("new.pelagos")); }).find("newer than this pelagos understands"),
            std::string::npos);

  write_file_atomic(dir.file("junk.pelagos"), "not a model");
  EXPECT_NE(error_of([&] { load_bundle(dir.file("junk.pelagos")); }).find("junk.pelagos: not a pelagos model"),
            std::string::npos);

  // Metadata that says 8 neurons with weights of 16: module->load would accept it silently.
  TrainParams lying = small_params();
  lying.neurons = 8;
  save_bundle(dir.file("shape.pelagos"), info_for(base, lying), c);
  EXPECT_NE(error_of([&] { load_bundle(dir.file("shape.pelagos")); }).find("has shape 16x12288"),
            std::string::npos);
}

TEST(Bundle, ChecksTheBaseWeights) {
  configure_threads(1);
  test::TempDir dir;
  BaseNetwork base = make_base_network({"", true, 1});
  Classifier c(base.net, small_params(), 3);

  BundleInfo wrong_random = info_for(base, small_params());
  wrong_random.base_weights["features_sha256"] = std::string(64, '0');
  save_bundle(dir.file("r.pelagos"), wrong_random, c);
  EXPECT_NE(error_of([&] { load_bundle(dir.file("r.pelagos")); }).find("gave different weights"),
            std::string::npos);

  BundleInfo pretrained = info_for(base, small_params());
  pretrained.base_weights = {{"pretrained", true},
                             {"file", "vggish-10086976.pth"},
                             {"path", dir.file("absent.pth")},
                             {"sha256", std::string(64, 'a')}};
  save_bundle(dir.file("p.pelagos"), pretrained, c);
  const std::string missing = error_of([&] { load_bundle(dir.file("p.pelagos")); });
  EXPECT_NE(missing.find("needs the VGGish weights file vggish-10086976.pth"), std::string::npos) << missing;
  EXPECT_NE(missing.find("--weights"), std::string::npos);

  write_file_atomic(dir.file("other.pth"), "other weights");
  const std::string differs = error_of([&] { load_bundle(dir.file("p.pelagos"), dir.file("other.pth")); });
  EXPECT_NE(differs.find("but " + dir.file("other.pth") + " has sha256"), std::string::npos) << differs;
}

TEST(Bundle, PretrainedBaseIsFoundByPathAndVerifiedBySha256) {
  PELAGOS_REQUIRE_SHARED();
  configure_threads(1);
  test::TempDir dir;
  const std::string weights = test::vggish_weight_fixture("fixture_vggish_zip.pth");
  BaseNetwork base = make_base_network({weights, false, 0});
  EXPECT_TRUE(base.provenance["pretrained"].get<bool>());
  EXPECT_EQ(base.provenance["sha256"].get<std::string>(), sha256_file(weights));
  Classifier c(base.net, small_params(), 3);
  save_bundle(dir.file("m.pelagos"), info_for(base, small_params()), c);

  LoadedModel m = load_bundle(dir.file("m.pelagos"));
  torch::Tensor x = torch::randn({1, 1, 96, 64});
  c->eval();
  m.classifier->eval();
  torch::NoGradGuard g;
  EXPECT_TRUE(torch::equal(classify_patches(base.net, c, x), classify_patches(m.base.net, m.classifier, x)));

  // Another weights file passed for this model: refused, naming both hashes.
  const std::string other = test::vggish_weight_fixture("fixture_vggish_legacy.pth");
  ASSERT_NE(sha256_file(other), sha256_file(weights));
  const std::string e = error_of([&] { load_bundle(dir.file("m.pelagos"), other); });
  EXPECT_NE(e.find("was trained on VGGish weights with sha256 " + sha256_file(weights)), std::string::npos) << e;
}

}  // namespace
}  // namespace pelagos
