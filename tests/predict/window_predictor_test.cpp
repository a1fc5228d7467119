#include "predict/window_predictor.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>

#include "model/runtime.h"
#include "pelagos/error.h"
#include "predict/inference.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

// An untrained model is enough: the test is about windows and streaming.
LoadedModel untrained_model() {
  LoadedModel m;
  m.base = make_base_network({"", true, 2});
  m.info.labels = {"a", "b", "c"};
  m.info.params.neurons = 8;
  m.info.params.trainable_layers = 0;
  torch::manual_seed(0);
  m.classifier = Classifier(m.base.net, m.info.params, 3);
  prepare_for_inference(m, InferenceTarget{});
  return m;
}

std::vector<WindowPrediction> run(WindowPredictor& p, const std::string& path) {
  std::vector<WindowPrediction> out;
  p.run(path, [&](const WindowPrediction& w) { out.push_back(w); });
  return out;
}

TEST(WindowPredictor, LongFileInSmallChunksEqualsOneChunk) {
  configure_threads(1);
  test::TempDir dir;
  const double seconds = 40.3;
  std::vector<float> audio = test::sine(900.0, seconds, 16000);
  for (size_t i = 0; i < audio.size(); ++i) audio[i] *= float(0.5 + 0.5 * std::sin(double(i) / 16000.0));
  test::write_audio(dir.file("long.wav"), audio, 16000);

  LoadedModel m = untrained_model();
  WindowPredictor whole(m, InferenceTarget{}, 5.0, 2.5, 16000 * 600);
  WindowPredictor chunked(m, InferenceTarget{}, 5.0, 2.5, 7919);  // a prime: chunks cut patches anywhere
  const auto a = run(whole, dir.file("long.wav"));
  const auto b = run(chunked, dir.file("long.wav"));
  // 41 patches of 0.96 s start at k * 0.96; a 5 s window holds patches starting up to start + 4.04 s.
  // Windows run while one holds a patch: starts 0, 2.5, ..., 37.5 (the last patch starts at 38.4).
  ASSERT_EQ(a.size(), 16u);
  ASSERT_EQ(b.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_DOUBLE_EQ(a[i].start_s, 2.5 * double(i));
    EXPECT_DOUBLE_EQ(a[i].start_s, b[i].start_s);
    EXPECT_DOUBLE_EQ(a[i].end_s, b[i].end_s);
    EXPECT_LE(a[i].end_s, seconds + 1e-9);
    EXPECT_EQ(a[i].decision.predicted, b[i].decision.predicted);
    ASSERT_EQ(a[i].decision.probabilities.size(), 3u);
    for (size_t c = 0; c < 3; ++c)
      EXPECT_NEAR(a[i].decision.probabilities[c], b[i].decision.probabilities[c], 1e-5);
  }
  EXPECT_DOUBLE_EQ(a.back().end_s, seconds);

  // Default window: one patch per window, every patch once.
  WindowPredictor per_patch(m, InferenceTarget{}, 0, 0, 16000 * 7);
  const auto c = run(per_patch, dir.file("long.wav"));
  ASSERT_EQ(c.size(), 41u);
  EXPECT_NEAR(c[40].start_s, 40 * 0.96, 1e-9);
}

TEST(WindowPredictor, RejectsWindowsShorterThanAPatchAndUnreadableFiles) {
  configure_threads(1);
  test::TempDir dir;
  LoadedModel m = untrained_model();
  EXPECT_THROW(WindowPredictor(m, InferenceTarget{}, 0.5, 0), Error);
  std::ofstream(dir.file("bad.wav")) << "not audio";
  WindowPredictor p(m, InferenceTarget{}, 0, 0);
  EXPECT_THROW(run(p, dir.file("bad.wav")), Error);
}

}  // namespace
}  // namespace pelagos
