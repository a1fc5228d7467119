#include "train/synthetic_patches.h"

#include <ATen/ATen.h>

#include <string>

namespace pelagos::test {

PatchSet synthetic_patch_set(int classes, int clips_per_class, int max_patches, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  PatchSet set;
  for (int i = 0; i < classes * clips_per_class; ++i) {
    const int label = i % classes;
    const int64_t n = 1 + (i / classes) % max_patches;
    torch::Tensor p = at::normal(0.0, 1.0, {n, 96, 64}, gen);
    const int band = 4 + label * (56 / classes);
    p.narrow(2, band, 4).add_(3.0);
    set.add_clip(p, label, "clip" + std::to_string(i));
  }
  set.finish();
  return set;
}

std::vector<torch::Tensor> weights_of(Trainer& t) {
  std::vector<torch::Tensor> out;
  for (auto& p : t.classifier()->parameters()) out.push_back(p.detach().clone());
  return out;
}

}  // namespace pelagos::test
