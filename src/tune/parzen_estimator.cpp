#include "tune/parzen_estimator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "tune/truncnorm.h"

namespace pelagos::tune {
namespace {
constexpr double kEps = 1e-12;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;
constexpr double kSigma0Magnitude = 0.2;  // Scott's-rule factor for multivariate bandwidths

size_t pick(const std::vector<double>& cumulative, double u) {
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u * cumulative.back());
  return std::min(static_cast<size_t>(it - cumulative.begin()), cumulative.size() - 1);
}
}  // namespace

ParzenEstimator::ParzenEstimator(const std::vector<const Distribution*>& distributions,
                                 const std::vector<std::vector<double>>& observations, const TPEParams& params)
    : include_scale_(params.density_includes_scale) {
  n_obs_ = observations.empty() ? 0 : observations.front().size();
  with_prior_ = params.consider_prior || n_obs_ == 0;

  weights_ = params.weights(static_cast<int>(n_obs_));
  if (with_prior_) weights_.push_back(params.prior_weight);
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  log_weights_.resize(weights_.size());
  cumulative_.resize(weights_.size());
  double running = 0.0;
  for (size_t j = 0; j < weights_.size(); ++j) {
    weights_[j] /= total;
    log_weights_[j] = std::log(weights_[j]);
    cumulative_[j] = running += weights_[j];
  }

  const double sigma0 = params.multivariate
                            ? kSigma0Magnitude * std::pow(static_cast<double>(std::max<size_t>(n_obs_, 1)),
                                                          -1.0 / (static_cast<double>(distributions.size()) + 4.0))
                            : 0.0;
  dims_.reserve(distributions.size());
  for (size_t p = 0; p < distributions.size(); ++p) {
    const Distribution* d = distributions[p];
    Dim dim{d, ParamTransform(*d), d->kind == Distribution::Kind::Categorical, {}, {}, {}, 0, {}, {}};
    if (dim.categorical)
      fit_categorical(dim, observations[p], params);
    else
      fit_numerical(dim, observations[p], params, sigma0);
    dims_.push_back(std::move(dim));
  }
}

void ParzenEstimator::fit_numerical(Dim& dim, const std::vector<double>& obs, const TPEParams& params,
                                    double sigma0) const {
  const double low = dim.transform.low, high = dim.transform.high;
  const size_t n = obs.size();
  const size_t m = n + (with_prior_ ? 1 : 0);
  dim.mus.resize(m);
  dim.sigmas.resize(m);
  for (size_t k = 0; k < n; ++k) dim.mus[k] = dim.transform.to_space(obs[k]);
  if (with_prior_) dim.mus[n] = 0.5 * (low + high);

  if (params.multivariate) {
    std::fill(dim.sigmas.begin(), dim.sigmas.end(), sigma0 * (high - low));
  } else {
    // Bandwidth = distance to the farther neighbour among the sorted centres,
    // the range ends acting as neighbours (except for the outermost centres
    // unless consider_endpoints).
    std::vector<size_t> order(m);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return dim.mus[a] < dim.mus[b]; });
    std::vector<double> s(m + 2);
    s[0] = low;
    for (size_t i = 0; i < m; ++i) s[i + 1] = dim.mus[order[i]];
    s[m + 1] = high;
    for (size_t i = 0; i < m; ++i) {
      double sigma = std::max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
      if (!params.consider_endpoints && m + 2 >= 4) {
        if (i == 0) sigma = s[2] - s[1];
        if (i == m - 1) sigma = s[m] - s[m - 1];
      }
      dim.sigmas[order[i]] = sigma;
    }
  }
  const double max_sigma = high - low;
  const double min_sigma =
      params.consider_magic_clip ? (high - low) / std::min(100.0, 1.0 + static_cast<double>(m)) : kEps;
  for (double& sigma : dim.sigmas) sigma = std::clamp(sigma, min_sigma, max_sigma);
  if (with_prior_) dim.sigmas[n] = high - low;

  dim.log_norm.resize(m);
  for (size_t j = 0; j < m; ++j) {
    double a = (low - dim.mus[j]) / dim.sigmas[j], b = (high - dim.mus[j]) / dim.sigmas[j];
    dim.log_norm[j] = -truncnorm::log_gauss_mass(a, b);
  }
}

void ParzenEstimator::fit_categorical(Dim& dim, const std::vector<double>& obs, const TPEParams& params) const {
  const size_t n = obs.size(), k = dim.dist->choices.size();
  const size_t m = n + (with_prior_ ? 1 : 0);
  dim.n_choices = k;
  const double smoothing = params.prior_weight / static_cast<double>(with_prior_ ? n + 1 : n);
  dim.probs.assign(m * k, smoothing);
  for (size_t j = 0; j < n; ++j) {
    auto c = static_cast<size_t>(obs[j]);
    if (c < k) dim.probs[j * k + c] += 1.0;
  }
  dim.log_probs.resize(m * k);
  for (size_t j = 0; j < m; ++j) {
    double row = 0.0;
    for (size_t c = 0; c < k; ++c) row += dim.probs[j * k + c];
    for (size_t c = 0; c < k; ++c) {
      dim.probs[j * k + c] /= row;
      dim.log_probs[j * k + c] = std::log(dim.probs[j * k + c]);
    }
  }
}

void ParzenEstimator::sample(Rng& rng, int n, std::vector<std::vector<double>>& samples) const {
  samples.resize(dims_.size());
  for (auto& s : samples) s.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const size_t j = pick(cumulative_, rng.uniform());
    for (size_t p = 0; p < dims_.size(); ++p) {
      const Dim& dim = dims_[p];
      double value;
      if (dim.categorical) {
        const double* row = &dim.probs[j * dim.n_choices];
        double u = rng.uniform(), acc = 0.0;
        size_t c = 0;
        for (; c + 1 < dim.n_choices; ++c) {
          acc += row[c];
          if (u < acc) break;
        }
        value = static_cast<double>(c);
      } else {
        const double mu = dim.mus[j], sigma = dim.sigmas[j];
        const double a = (dim.transform.low - mu) / sigma, b = (dim.transform.high - mu) / sigma;
        value = dim.transform.from_space(mu + sigma * truncnorm::ppf(rng.uniform(), a, b));
      }
      samples[p][static_cast<size_t>(i)] = value;
    }
  }
}

void ParzenEstimator::add_log_density(const Dim& dim, double x, std::vector<double>& acc) const {
  const size_t m = acc.size();
  if (dim.categorical) {
    const auto c = static_cast<size_t>(x);
    for (size_t j = 0; j < m; ++j) acc[j] += dim.log_probs[j * dim.n_choices + c];
    return;
  }
  const double t = dim.transform.to_space(x);
  if (!dim.transform.q) {
    for (size_t j = 0; j < m; ++j) {
      const double z = (t - dim.mus[j]) / dim.sigmas[j];
      double v = -0.5 * z * z - kLogSqrt2Pi + dim.log_norm[j];
      if (include_scale_) v -= std::log(dim.sigmas[j]);
      acc[j] += v;
    }
    return;
  }
  // A grid value's probability is the kernel's mass over its cell.
  const double half = 0.5 * *dim.transform.q;
  const double lo = std::max(t - half, dim.transform.low), hi = std::min(t + half, dim.transform.high);
  for (size_t j = 0; j < m; ++j) {
    const double inv = 1.0 / dim.sigmas[j];
    const double a = (lo - dim.mus[j]) * inv, b = (hi - dim.mus[j]) * inv;
    const double mass = truncnorm::gauss_mass(a, b);
    const double log_mass = mass > 1e-280 ? std::log(mass) : truncnorm::log_gauss_mass(a, b);
    acc[j] += log_mass + dim.log_norm[j];
  }
}

void ParzenEstimator::log_pdf(const std::vector<std::vector<double>>& samples, std::vector<double>& out) const {
  const size_t n = samples.empty() ? 0 : samples.front().size();
  out.resize(n);
  acc_.resize(weights_.size());
  for (size_t i = 0; i < n; ++i) {
    // A univariate candidate equal to an earlier one has the same density.
    if (dims_.size() == 1) {
      size_t same = i;
      for (size_t k = 0; k < i; ++k)
        if (samples[0][k] == samples[0][i]) {
          same = k;
          break;
        }
      if (same != i) {
        out[i] = out[same];
        continue;
      }
    }
    std::copy(log_weights_.begin(), log_weights_.end(), acc_.begin());
    for (size_t p = 0; p < dims_.size(); ++p) add_log_density(dims_[p], samples[p][i], acc_);
    const double top = *std::max_element(acc_.begin(), acc_.end());
    if (!std::isfinite(top)) {
      out[i] = top;
      continue;
    }
    double sum = 0.0;
    for (double v : acc_) sum += std::exp(v - top);
    out[i] = top + std::log(sum);
  }
}

}  // namespace pelagos::tune
