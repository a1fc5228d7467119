#include "predict/inference.h"

#include <torch/utils.h>

namespace pelagos {

void prepare_for_inference(LoadedModel& model, torch::Device device) {
  model.base.net->to(device);
  model.classifier->to(device);
  model.base.net->eval();
  model.classifier->eval();
}

torch::Tensor infer_logits(LoadedModel& model, const torch::Tensor& patches, torch::Device device, int64_t batch) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = patches.dim() == 3 ? patches.unsqueeze(1) : patches;
  const int64_t n = x.size(0);
  torch::Tensor out = torch::empty({n, static_cast<int64_t>(model.info.labels.size())});
  for (int64_t start = 0; start < n; start += batch) {
    const int64_t len = std::min(batch, n - start);
    out.narrow(0, start, len)
        .copy_(classify_patches(model.base.net, model.classifier, x.narrow(0, start, len).to(device)));
  }
  return out;
}

}  // namespace pelagos
