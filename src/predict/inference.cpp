#include "predict/inference.h"

#include <torch/utils.h>

namespace pelagos {

torch::Dtype InferenceTarget::dtype() const {
  return precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
}

void prepare_for_inference(LoadedModel& model, const InferenceTarget& target) {
  // bfloat16 inference converts the weights once instead of autocasting them
  // per batch: a large head (12288 x 4608) would otherwise be cast, and its
  // 113 MB allocated afresh, for every 16 patches; it also halves their memory.
  model.base.net->to(target.device, target.dtype());
  model.classifier->to(target.device, target.dtype());
  model.base.net->eval();
  model.classifier->eval();
}

torch::Tensor infer_logits(LoadedModel& model, const torch::Tensor& patches, const InferenceTarget& target,
                           int64_t batch) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = patches.dim() == 3 ? patches.unsqueeze(1) : patches;
  const int64_t n = x.size(0);
  torch::Tensor out = torch::empty({n, static_cast<int64_t>(model.info.labels.size())});
  for (int64_t start = 0; start < n; start += batch) {
    const int64_t len = std::min(batch, n - start);
    out.narrow(0, start, len)
        .copy_(classify_patches(model.base.net, model.classifier, x.narrow(0, start, len).to(target.device, target.dtype())));
  }
  return out;
}

}  // namespace pelagos
