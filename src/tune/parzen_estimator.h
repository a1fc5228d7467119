// TPE's Parzen estimator (Optuna's _ParzenEstimator): a weighted mixture with
// one component per observation plus an optional prior component, over one
// parameter (univariate TPE) or several sharing their components
// (multivariate TPE). Numerical parameters get truncated normals in the
// transformed space (log, step cells), categoricals smoothed one-hot rows.
#pragma once
#include <vector>

#include "pelagos/tune/sampler.h"
#include "tune/param_transform.h"
#include "tune/rng.h"

namespace pelagos::tune {

class ParzenEstimator {
 public:
  // observations[p][k]: internal value of parameter p in observation k, oldest first.
  ParzenEstimator(const std::vector<const Distribution*>& distributions,
                  const std::vector<std::vector<double>>& observations, const TPEParams& params);

  // n joint samples; samples[p][i] is parameter p of sample i (internal values).
  void sample(Rng& rng, int n, std::vector<std::vector<double>>& samples) const;
  // log density of each joint sample.
  void log_pdf(const std::vector<std::vector<double>>& samples, std::vector<double>& out) const;

 private:
  struct Dim {
    const Distribution* dist;
    ParamTransform transform;
    bool categorical;
    std::vector<double> mus, sigmas, log_norm;  // numerical, per component
    std::vector<double> coef;                   // weight x normaliser, linear (univariate)
    size_t n_choices = 0;
    std::vector<double> probs, log_probs;       // categorical, component-major rows
  };
  void fit_numerical(Dim& dim, const std::vector<double>& obs, const TPEParams& params, double sigma0) const;
  void fit_categorical(Dim& dim, const std::vector<double>& obs, const TPEParams& params) const;
  // Adds log p(x | component j) for every component j to acc.
  void add_log_density(const Dim& dim, double x, std::vector<double>& acc) const;
  // log p(x) by log-sum-exp over the components (any number of dimensions).
  double log_pdf_one(const std::vector<std::vector<double>>& samples, size_t i) const;
  // One dimension: the mixture summed in linear space, once per distinct
  // value, sharing the kernel CDFs between neighbouring grid cells.
  void log_pdf_univariate(const std::vector<double>& xs, std::vector<double>& out) const;

  size_t n_obs_ = 0;
  bool with_prior_ = true;
  bool include_scale_ = true;
  std::vector<double> weights_, log_weights_, cumulative_;
  std::vector<Dim> dims_;
  mutable std::vector<double> acc_;  // scratch for log_pdf
  mutable std::vector<double> distinct_, edges_, tails_, sums_;
  mutable std::vector<size_t> cell_lo_, cell_hi_, slot_;
};

}  // namespace pelagos::tune
