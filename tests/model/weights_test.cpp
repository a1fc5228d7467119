#include "model/weights.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cli/cli.h"
#include "model/vggish_fixture.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

// A state_dict with the right keys and shapes; storages are not loaded (the check needs none).
RawStateDict fake_vggish(RawDType dtype = RawDType::Float32) {
  RawStateDict out;
  for (const auto& [key, shape] : vggish_weight_keys()) {
    RawTensor t;
    t.dtype = dtype;
    t.shape = shape;
    out.emplace_back(key, t);
  }
  return out;
}

std::string check_error(const RawStateDict& sd) {
  try {
    check_vggish_state_dict(sd, "w.pth");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(VGGishWeightsCheck, KeyTableMatchesTheModule) {
  VGGish model;
  auto params = model->named_parameters();
  const auto& keys = vggish_weight_keys();
  ASSERT_EQ(params.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(params[i].key(), keys[i].first);
    EXPECT_EQ(params[i].value().sizes().vec(), keys[i].second) << keys[i].first;
  }
}

TEST(VGGishWeightsCheck, AcceptsTheLayoutAndIgnoresPca) {
  auto sd = fake_vggish();
  EXPECT_TRUE(check_vggish_state_dict(sd, "w.pth").empty());
  sd.emplace_back("pproc.pca_means", RawTensor{});
  auto notes = check_vggish_state_dict(sd, "w.pth");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("pproc.pca_means"), std::string::npos);
}

TEST(VGGishWeightsCheck, NamesMissingExtraAndMisshapenKeys) {
  auto sd = fake_vggish();
  sd.erase(sd.begin() + 5);  // features.6.bias
  std::string msg = check_error(sd);
  EXPECT_NE(msg.find("w.pth: key 'features.6.bias' is missing"), std::string::npos) << msg;

  sd = fake_vggish();
  sd.emplace_back("classifier.weight", RawTensor{});
  msg = check_error(sd);
  EXPECT_NE(msg.find("unexpected key(s) classifier.weight"), std::string::npos) << msg;

  sd = fake_vggish();
  sd[0].second.shape = {64, 3, 3, 1};
  msg = check_error(sd);
  EXPECT_NE(msg.find("'features.0.weight' has shape (64, 3, 3, 1), expected (64, 1, 3, 3)"), std::string::npos) << msg;
}

TEST(VGGishWeightsCheck, DTypes) {
  EXPECT_NE(check_error(fake_vggish(RawDType::Int64)).find("holds int64 values, expected float32"), std::string::npos);
  auto notes = check_vggish_state_dict(fake_vggish(RawDType::Float64), "w.pth");
  EXPECT_EQ(notes.size(), 18u);
  EXPECT_NE(notes[0].find("from float64 to float32"), std::string::npos);
}

TEST(VGGishRandomInit, SeededDeterministicAndLabelled) {
  VGGish a, b, c;
  auto pa = init_vggish_random(a, 7);
  init_vggish_random(b, 7);
  init_vggish_random(c, 8);
  EXPECT_FALSE(pa.pretrained);
  EXPECT_EQ(pa.describe(), "random init (seed 7), NOT pretrained");
  auto pb = b->named_parameters();
  auto pc = c->named_parameters();
  for (const auto& p : a->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
    EXPECT_FALSE(torch::equal(p.value(), pc[p.key()])) << p.key();
  }
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(VGGishWeightsResolve, ExplicitPathThenHubCacheThenAdvice) {
  test::TempDir dir;
  ScopedEnv torch_home("TORCH_HOME", dir.path().string());
  try {
    resolve_weights_path("");
    FAIL() << "no error without weights";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("pelagos weights fetch"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--init random --seed"), std::string::npos) << msg;
    EXPECT_NE(msg.find(dir.file("hub/checkpoints/vggish-10086976.pth")), std::string::npos) << msg;
  }
  EXPECT_THROW(resolve_weights_path(dir.file("nope.pth")), Error);
  std::filesystem::create_directories(dir.path() / "hub" / "checkpoints");
  write_file_atomic(dir.file("hub/checkpoints/vggish-10086976.pth"), "x");
  EXPECT_EQ(resolve_weights_path(""), dir.file("hub/checkpoints/vggish-10086976.pth"));
  write_file_atomic(dir.file("mine.pth"), "x");
  EXPECT_EQ(resolve_weights_path(dir.file("mine.pth")), dir.file("mine.pth"));
  VGGish model;
  EXPECT_THROW(prepare_vggish(model, WeightsSpec{dir.file("mine.pth"), true, 1}), Error);
}

}  // namespace
}  // namespace pelagos

namespace pelagos {
namespace {

std::string info_output(const std::vector<std::string>& args, int* code) {
  testing::internal::CaptureStdout();
  *code = cli::run_cli(args);
  return testing::internal::GetCapturedStdout();
}

TEST(WeightsInfoCommand, ReportsFixtureAndBrokenFiles) {
  PELAGOS_REQUIRE_SHARED();
  int code = -1;
  const std::string out = info_output({"weights", "info", test::vggish_weight_fixture("fixture_vggish_legacy.pth")}, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("format:      torch.save legacy"), std::string::npos) << out;
  EXPECT_NE(out.find("embeddings.0.weight"), std::string::npos) << out;
  EXPECT_NE(out.find("(4096, 12288)"), std::string::npos) << out;
  EXPECT_NE(out.find("9b76c9b5e216d34fb3deacb6a3fed556e84d76f5d1f67a5da24b8f0f37925a1b"), std::string::npos) << out;
  EXPECT_NE(out.find("not the torchvggish release file"), std::string::npos) << out;
  EXPECT_NE(out.find("status:      OK"), std::string::npos) << out;

  test::TempDir dir;
  write_file_atomic(dir.file("bad.pth"), "garbage!");
  const std::string bad = info_output({"weights", "info", dir.file("bad.pth")}, &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(bad.find("NOT usable"), std::string::npos) << bad;
}

}  // namespace
}  // namespace pelagos
