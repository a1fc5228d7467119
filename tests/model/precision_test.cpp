#include "model/precision.h"

#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/base_network.h"
#include "model/classifier.h"
#include "model/runtime.h"
#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(Precision, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(parse_precision("float32"), Precision::Float32);
  EXPECT_EQ(parse_precision("fp32"), Precision::Float32);
  EXPECT_EQ(parse_precision("bfloat16"), Precision::BFloat16);
  EXPECT_EQ(parse_precision("bf16"), Precision::BFloat16);
  EXPECT_STREQ(precision_name(Precision::BFloat16), "bfloat16");
  const std::string err = test::error_of([] { parse_precision("half"); });
  EXPECT_NE(err.find("--precision half"), std::string::npos) << err;
  EXPECT_NE(err.find("bfloat16"), std::string::npos) << err;
}

TEST(Precision, ScopesNestAndRestore) {
  ASSERT_FALSE(at::autocast::is_cpu_enabled());
  {
    PrecisionScope outer(Precision::BFloat16, torch::kCPU);
    EXPECT_TRUE(at::autocast::is_cpu_enabled());
    EXPECT_EQ(at::autocast::get_autocast_cpu_dtype(), at::kBFloat16);
    {
      PrecisionScope inner(Precision::Float32, torch::kCPU);  // what the prefix cache does
      EXPECT_FALSE(at::autocast::is_cpu_enabled());
      EXPECT_EQ(torch::matmul(torch::ones({2, 2}), torch::ones({2, 2})).scalar_type(), torch::kFloat32);
    }
    EXPECT_TRUE(at::autocast::is_cpu_enabled());
    EXPECT_EQ(torch::matmul(torch::ones({2, 2}), torch::ones({2, 2})).scalar_type(), torch::kBFloat16);
  }
  EXPECT_FALSE(at::autocast::is_cpu_enabled());
  EXPECT_FALSE(at::autocast::is_enabled()) << "a CPU scope never turns on CUDA autocast";
}

TEST(Precision, Bfloat16ClassifierGivesFloat32LogitsCloseToFloat32) {
  configure_threads(1);
  BaseNetwork base = make_base_network({"", true, 5});
  base.net->eval();
  TrainParams p;
  p.neurons = 32;
  p.trainable_layers = 5;
  torch::manual_seed(2);
  Classifier c(base.net, p, 4);
  c->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::rand({3, 1, 96, 64}) * 4 - 2;
  const torch::Tensor f32 = classify_patches(base.net, c, x);
  torch::Tensor b16;
  {
    PrecisionScope scope(Precision::BFloat16, torch::kCPU);
    b16 = classify_patches(base.net, c, x);
  }
  EXPECT_EQ(b16.scalar_type(), torch::kFloat32);
  EXPECT_FALSE(torch::equal(b16, f32)) << "autocast did not change the arithmetic";
  const double scale = f32.abs().max().item<double>();
  EXPECT_LT((b16 - f32).abs().max().item<double>(), 0.05 * scale + 1e-4) << "scale " << scale;
  for (const auto& t : c->parameters()) EXPECT_EQ(t.scalar_type(), torch::kFloat32) << "weights stay float32";
}

}  // namespace
}  // namespace pelagos
