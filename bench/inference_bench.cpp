// Inference against the machine's matrix-multiply peak (issue #6), counter
// "gflops" (2 FLOP per multiply-add, per second of wall time), on 2 threads:
//   BM_Sgemm2048       float32 2048^3 matrix product through LibTorch: the peak;
//   BM_VGGishForward   a full torchvggish forward (conv features + embedding
//                      layers) at batch 16 / 32, FLOPs counted from the layers;
//   BM_VGGishConv      the conv part only, what predict / evaluate run;
//   BM_GemmBF16, BM_VGGishConvBF16   the same under --precision bfloat16
//                      (autocast), against the float32 peak.
// The BENCHMARKS.md ratio is VGGish gflops / sgemm gflops of the same run.
// All with the allocator setting training uses (keep_freed_tensor_memory; the
// training benchmarks in this binary set it anyway, so order cannot matter).
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "model/base_network.h"
#include "model/precision.h"
#include "model/runtime.h"

namespace pelagos {
namespace {

constexpr int kThreads = 2;

// Multiply-adds of one 96x64 patch, from each layer's weights and output size.
double macs_per_patch(VGGish& net, bool with_embeddings) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::zeros({1, 1, 96, 64});
  double macs = 0;
  for (int i = 0; i < kFeatureModules; ++i) {
    torch::Tensor y = net->features_range(x, i, i + 1);
    if (auto* conv = net->features->ptr(i)->as<torch::nn::Conv2d>()) {
      const torch::Tensor& w = conv->weight;  // (out, in, kh, kw)
      macs += double(y.numel()) * double(w.size(1) * w.size(2) * w.size(3));
    }
    x = y;
  }
  if (with_embeddings)
    for (const auto& module : net->embeddings->children())
      if (auto* linear = module->as<torch::nn::Linear>()) macs += double(linear->weight.numel());
  return macs;
}

void run_gemm(benchmark::State& state, torch::Dtype dtype) {
  configure_threads(kThreads);
  keep_freed_tensor_memory();
  torch::NoGradGuard no_grad;
  const torch::Tensor a = torch::randn({2048, 2048}).to(dtype), b = torch::randn({2048, 2048}).to(dtype);
  torch::Tensor c = torch::empty({2048, 2048}, dtype);
  for (auto _ : state) {
    torch::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["gflops"] =
      benchmark::Counter(2.0 * 2048.0 * 2048.0 * 2048.0 * 1e-9 * double(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_Sgemm2048(benchmark::State& state) { run_gemm(state, torch::kFloat32); }
void BM_GemmBF16(benchmark::State& state) { run_gemm(state, torch::kBFloat16); }
BENCHMARK(BM_GemmBF16)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_Sgemm2048)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void run_vggish(benchmark::State& state, bool with_embeddings, Precision precision = Precision::Float32) {
  configure_threads(kThreads);
  keep_freed_tensor_memory();
  PrecisionScope scope(precision, torch::kCPU);
  const int batch = static_cast<int>(state.range(0));
  VGGish net(with_embeddings);
  net->eval();
  const double gflop_per_patch = 2.0 * macs_per_patch(net, with_embeddings) * 1e-9;
  c10::InferenceMode inference;
  const torch::Tensor x = torch::randn({batch, 1, 96, 64});
  net->conv_features(x);  // warm-up: oneDNN primitives and buffers
  for (auto _ : state) {
    torch::Tensor y = with_embeddings ? net->embed(x) : net->conv_features(x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
  state.counters["gflops"] =
      benchmark::Counter(gflop_per_patch * batch * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["gflop_per_patch"] = gflop_per_patch;
  state.counters["patches"] = benchmark::Counter(double(batch) * double(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_VGGishForward(benchmark::State& state) { run_vggish(state, true); }
void BM_VGGishConv(benchmark::State& state) { run_vggish(state, false); }
void BM_VGGishConvBF16(benchmark::State& state) { run_vggish(state, false, Precision::BFloat16); }
BENCHMARK(BM_VGGishForward)->Arg(16)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_VGGishConv)->Arg(16)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_VGGishConvBF16)->Arg(16)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace pelagos
