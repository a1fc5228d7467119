// The bad-input corpus, part 2: model bundles, which need LibTorch to generate.
// Each is then handed to the real `pelagos evaluate` in a child process (see
// support/bad_input.h for the contract).
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "model/bundle.h"
#include "model/runtime.h"
#include "support/bad_input.h"
#include "util/atomic_file.h"

namespace pelagos::test {
namespace {

// A random-init bundle for the sandbox's two species; `edit` changes its metadata first.
std::string write_bundle(Sandbox& b, const std::function<void(BundleInfo&)>& edit = nullptr) {
  configure_threads(1);
  BaseNetwork base = make_base_network({"", true, 5});
  TrainParams p;
  p.neurons = 8;
  p.num_hidden_layers = 1;
  p.trainable_layers = 0;
  Classifier c(base.net, p, 2);
  BundleInfo info;
  info.labels = {"Alpha", "Beta"};
  info.params = p;
  info.base_weights = base.provenance;
  if (edit) edit(info);
  const std::string path = b.path("m.pelagos");
  save_bundle(path, info, c);
  return path;
}

std::vector<std::string> evaluate(Sandbox& b, const std::string& model) {
  b.good_dataset();
  return {"--cache-dir", b.path("cache"), "evaluate", "--model", model, "--data", b.root(), "--split", "test"};
}

std::vector<BadInputCase> bundle_cases() {
  return {
      {"BundleFromANewerPelagos",
       [](Sandbox& b) {
         return evaluate(b, write_bundle(b, [](BundleInfo& i) {
                           i.format_version = kBundleFormatVersion + 1;
                           i.pelagos_version = "9.0.0";
                         }));
       },
       {"m.pelagos", "newer than this pelagos understands"}, false, true},
      {"TruncatedBundle",
       [](Sandbox& b) {
         const std::string path = write_bundle(b);
         const std::string bytes = read_file(path);
         write_file_atomic(path, bytes.substr(0, bytes.size() / 2));
         return evaluate(b, path);
       },
       {"m.pelagos"}, false, true},
      {"NotABundle",
       [](Sandbox& b) {
         write_file_atomic(b.path("m.pelagos"), "{\"labels\": [\"Alpha\", \"Beta\"]}");
         return evaluate(b, b.path("m.pelagos"));
       },
       {"m.pelagos"}, false, true},
      {"BundleSpeciesNotInTheData",
       [](Sandbox& b) { return evaluate(b, write_bundle(b, [](BundleInfo& i) { i.labels = {"Orca", "Beta"}; })); },
       {"Alpha"}, false, true},
      // Valid: a bundle whose frontend differs from the features already cached
      // computes its own (the cache is keyed by the frontend's fingerprint).
      {"BundleFrontendDiffersFromTheCache",
       [](Sandbox& b) {
         const std::string path = write_bundle(b, [](BundleInfo& i) { i.frontend.mel_bands = 64; i.frontend.hop_samples = 320; });
         std::vector<std::string> args = evaluate(b, path);
         // Fill the cache with the default frontend first.
         const ProcessResult warm = run_process({pelagos_binary(), "--cache-dir", b.path("cache"), "features",
                                                 b.clip_path("test", "test_a.wav"), "--out", b.path("f.npy")},
                                                120, {"GLOG_minloglevel=2"});
         EXPECT_EQ(warm.exit_code, 0) << warm.describe();
         return args;
       },
       {"accuracy"}, true, true},
  };
}

class BadBundles : public ::testing::TestWithParam<BadInputCase> {};
TEST_P(BadBundles, ClearErrorNoCrashNoHang) { run_bad_input_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Bundles, BadBundles, ::testing::ValuesIn(bundle_cases()),
                         [](const ::testing::TestParamInfo<BadInputCase>& info) { return info.param.name; });

}  // namespace
}  // namespace pelagos::test
