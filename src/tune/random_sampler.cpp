#include "pelagos/tune/sampler.h"
#include "tune/param_transform.h"
#include "tune/rng.h"

namespace pelagos::tune {

RandomSampler::RandomSampler(std::optional<uint64_t> seed) : Sampler(seed) {}

double RandomSampler::sample_independent(const StudyView&, const FrozenTrial& trial, const std::string& name,
                                         const Distribution& distribution) {
  Rng rng = Rng::for_trial(seed(), trial.number, name);
  if (distribution.kind == Distribution::Kind::Categorical)
    return static_cast<double>(rng.index(distribution.choices.size()));
  ParamTransform t(distribution);
  return t.from_space(rng.uniform(t.low, t.high));
}

}  // namespace pelagos::tune
