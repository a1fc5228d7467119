#include "train/clip_decisions.h"

#include <ATen/ATen.h>

namespace pelagos {

ClipDecision decide_clip(const torch::Tensor& logits, ClipAggregation aggregation) {
  ClipDecision d;
  if (logits.size(0) == 0) return d;
  torch::Tensor x = logits.detach().to(torch::kCPU, torch::kFloat32);
  torch::Tensor scores;
  switch (aggregation) {
    case ClipAggregation::Mean:
      scores = torch::softmax(x.mean(0), 0);
      break;
    case ClipAggregation::Max:
      scores = torch::softmax(std::get<0>(x.max(0)), 0);
      break;
    case ClipAggregation::Vote: {
      torch::Tensor votes = torch::zeros({x.size(1)});
      votes.index_add_(0, x.argmax(1), torch::ones({x.size(0)}));
      scores = votes / static_cast<double>(x.size(0));
      break;
    }
  }
  scores = scores.contiguous();
  const float* s = scores.data_ptr<float>();
  d.probabilities.assign(s, s + scores.numel());
  if (aggregation == ClipAggregation::Vote) {
    torch::Tensor mean_prob = torch::softmax(x, 1).mean(0).contiguous();
    const float* m = mean_prob.data_ptr<float>();
    int best = 0;
    for (int c = 1; c < static_cast<int>(d.probabilities.size()); ++c)
      if (s[c] > s[best] || (s[c] == s[best] && m[c] > m[best])) best = c;
    d.predicted = best;
  } else {
    d.predicted = static_cast<int>(scores.argmax().item<int64_t>());
  }
  return d;
}

std::vector<ClipDecision> decide_clips(const torch::Tensor& patch_logits, const std::vector<int64_t>& clip_begin,
                                       ClipAggregation aggregation) {
  std::vector<ClipDecision> out;
  out.reserve(clip_begin.size() - 1);
  for (size_t c = 0; c + 1 < clip_begin.size(); ++c)
    out.push_back(decide_clip(patch_logits.narrow(0, clip_begin[c], clip_begin[c + 1] - clip_begin[c]),
                              aggregation));
  return out;
}

}  // namespace pelagos
