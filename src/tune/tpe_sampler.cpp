// Tree-structured Parzen Estimator, following Optuna 3.1's TPESampler: rank
// the finished trials, model the best gamma(n) ("below", l) and the rest
// ("above", g) with Parzen estimators, draw n_ei_candidates from l and keep
// the one with the largest l(x)/g(x).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "pelagos/tune/sampler.h"
#include "tune/parzen_estimator.h"
#include "tune/tpe_split.h"
#include "tune/rng.h"

namespace pelagos::tune {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Values of `names` (sorted) in the trials `which` that carry all of them.
// Both the names and each trial's params are sorted, so one merge per trial
// finds them all.
std::vector<std::vector<double>> observations(const StudyView& study, const std::vector<size_t>& which,
                                              const std::vector<std::string>& names) {
  std::vector<std::vector<double>> obs(names.size());
  for (auto& o : obs) o.reserve(which.size());
  std::vector<double> row(names.size());
  for (size_t i : which) {
    const auto& params = study.trials[i].params;
    auto it = params.begin();
    size_t found = 0;
    for (size_t p = 0; p < names.size(); ++p) {
      while (it != params.end() && it->first < names[p]) ++it;
      if (it == params.end() || it->first != names[p]) break;
      row[p] = it->second;
      ++found;
    }
    if (found != names.size()) continue;
    for (size_t p = 0; p < names.size(); ++p) obs[p].push_back(row[p]);
  }
  return obs;
}

// Draws candidates from l and returns the index of the best l/g ratio.
size_t best_candidate(const ParzenEstimator& below, const ParzenEstimator& above, Rng& rng, int n_candidates,
                      std::vector<std::vector<double>>& samples) {
  below.sample(rng, n_candidates, samples);
  std::vector<double> log_l, log_g;
  below.log_pdf(samples, log_l);
  above.log_pdf(samples, log_g);
  size_t best = 0;
  double best_score = -kInf;
  for (size_t i = 0; i < log_l.size(); ++i) {
    double score = log_l[i] - log_g[i];
    if (score > best_score || i == 0) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

double sample_one(const StudyView& study, const TPESplit& split, const FrozenTrial& trial, uint64_t seed,
                  const std::string& name, const Distribution& distribution, const TPEParams& params) {
  const std::vector<std::string> names{name};
  const std::vector<const Distribution*> dists{&distribution};
  ParzenEstimator below(dists, observations(study, split.below, names), params);
  ParzenEstimator above(dists, observations(study, split.above, names), params);
  Rng rng = Rng::for_trial(seed, trial.number, name);
  std::vector<std::vector<double>> samples;
  size_t best = best_candidate(below, above, rng, params.n_ei_candidates, samples);
  return samples[0][best];
}

}  // namespace

TPESampler::TPESampler(TPEParams params, std::optional<uint64_t> seed)
    : Sampler(seed), params_(params), startup_(this->seed()) {
  params_.validate();
}

std::map<std::string, double> TPESampler::sample_relative(const StudyView& study, const FrozenTrial& trial,
                                                         const SearchSpace& space) {
  std::map<std::string, double> out;
  std::vector<std::string> names;
  std::vector<const Distribution*> dists;
  for (const auto& [name, dist] : space)
    if (!dist.single()) {
      names.push_back(name);
      dists.push_back(&dist);
    }
  if (names.empty()) return out;
  const TPESplit split = split_trials(study, trial, params_);
  if (split.n < params_.n_startup_trials) return out;  // independent (random) start-up sampling

  if (!params_.multivariate) {
    // Univariate TPE is independent per parameter; sampling the whole space
    // here only shares the ranking of the trials between the parameters.
    for (size_t p = 0; p < names.size(); ++p)
      out[names[p]] = sample_one(study, split, trial, seed(), names[p], *dists[p], params_);
    return out;
  }
  ParzenEstimator below(dists, observations(study, split.below, names), params_);
  ParzenEstimator above(dists, observations(study, split.above, names), params_);
  Rng rng = Rng::for_trial(seed(), trial.number, "");
  std::vector<std::vector<double>> samples;
  size_t best = best_candidate(below, above, rng, params_.n_ei_candidates, samples);
  for (size_t p = 0; p < names.size(); ++p) out[names[p]] = samples[p][best];
  return out;
}

double TPESampler::sample_independent(const StudyView& study, const FrozenTrial& trial, const std::string& name,
                                      const Distribution& distribution) {
  const TPESplit split = split_trials(study, trial, params_);
  if (split.n < params_.n_startup_trials) return startup_.sample_independent(study, trial, name, distribution);
  return sample_one(study, split, trial, seed(), name, distribution, params_);
}

}  // namespace pelagos::tune
