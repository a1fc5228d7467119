#include "tune/parzen_estimator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "tune/truncnorm.h"

namespace pelagos::tune {
namespace {
constexpr double kEps = 1e-12;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
// Beyond this many sigmas a kernel adds less than 1e-19 of its peak; such
// terms are skipped (if every kernel is that far, log space takes over).
constexpr double kFarZ = 9.0;
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
    Dim dim{d, ParamTransform(*d), d->kind == Distribution::Kind::Categorical, {}, {}, {}, {}, 0, {}, {}};
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

  // log of each kernel's normaliser: truncation mass, and for densities
  // (no step) 1/(sigma sqrt(2 pi)) (Optuna 3.1.0 omits the 1/sigma).
  dim.log_norm.resize(m);
  dim.coef.resize(m);
  for (size_t j = 0; j < m; ++j) {
    const double a = (low - dim.mus[j]) / dim.sigmas[j], b = (high - dim.mus[j]) / dim.sigmas[j];
    // Centres lie inside [low, high] and sigma <= high - low, so the mass is
    // at least ~0.34 and needs no log-space care.
    const double mass = a < 0.0 && b > 0.0 ? 1.0 - (a > -kFarZ ? truncnorm::ndtr(a) : 0.0) -
                                                 (b < kFarZ ? truncnorm::ndtr(-b) : 0.0)
                                           : truncnorm::gauss_mass(a, b);
    double factor = 1.0 / mass;
    if (!dim.transform.q) factor *= kInvSqrt2Pi / (include_scale_ ? dim.sigmas[j] : 1.0);
    dim.log_norm[j] = std::log(factor);
    dim.coef[j] = weights_[j] * factor;
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
      acc[j] += -0.5 * z * z + dim.log_norm[j];
    }
    return;
  }
  // A grid value's probability is the kernel's mass over its cell.
  const double half = 0.5 * *dim.transform.q;
  const double lo = std::max(t - half, dim.transform.low), hi = std::min(t + half, dim.transform.high);
  for (size_t j = 0; j < m; ++j) {
    const double inv = 1.0 / dim.sigmas[j];
    const double a = (lo - dim.mus[j]) * inv, b = (hi - dim.mus[j]) * inv;
    const double mass = a < 0.0 && b > 0.0 ? 1.0 - (a > -kFarZ ? truncnorm::ndtr(a) : 0.0) -
                                                 (b < kFarZ ? truncnorm::ndtr(-b) : 0.0)
                                           : truncnorm::gauss_mass(a, b);
    const double log_mass = mass > 1e-280 ? std::log(mass) : truncnorm::log_gauss_mass(a, b);
    acc[j] += log_mass + dim.log_norm[j];
  }
}

double ParzenEstimator::log_pdf_one(const std::vector<std::vector<double>>& samples, size_t i) const {
  acc_.resize(weights_.size());
  std::copy(log_weights_.begin(), log_weights_.end(), acc_.begin());
  for (size_t p = 0; p < dims_.size(); ++p) add_log_density(dims_[p], samples[p][i], acc_);
  const double top = *std::max_element(acc_.begin(), acc_.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (double v : acc_) sum += std::exp(v - top);
  return top + std::log(sum);
}

void ParzenEstimator::log_pdf_univariate(const std::vector<double>& xs, std::vector<double>& out) const {
  const Dim& dim = dims_[0];
  const size_t m = weights_.size();
  distinct_.assign(xs.begin(), xs.end());
  std::sort(distinct_.begin(), distinct_.end());
  distinct_.erase(std::unique(distinct_.begin(), distinct_.end()), distinct_.end());
  const size_t u = distinct_.size();
  sums_.assign(u, 0.0);
  if (dim.categorical) {
    for (size_t k = 0; k < u; ++k) {
      const auto c = static_cast<size_t>(distinct_[k]);
      for (size_t j = 0; j < m; ++j) sums_[k] += weights_[j] * dim.probs[j * dim.n_choices + c];
    }
  } else if (!dim.transform.q) {
    for (size_t k = 0; k < u; ++k) {
      const double t = dim.transform.to_space(distinct_[k]);
      for (size_t j = 0; j < m; ++j) {
        const double z = (t - dim.mus[j]) / dim.sigmas[j];
        if (std::abs(z) < kFarZ) sums_[k] += dim.coef[j] * std::exp(-0.5 * z * z);
      }
    }
  } else {
    // Cell k is [edges_[cell_lo_[k]], edges_[cell_hi_[k]]]; adjacent cells share an edge.
    const double half = 0.5 * *dim.transform.q;
    edges_.clear();
    for (double x : distinct_) {
      const double t = dim.transform.to_space(x);
      edges_.push_back(std::max(t - half, dim.transform.low));
      edges_.push_back(std::min(t + half, dim.transform.high));
    }
    std::sort(edges_.begin(), edges_.end());
    edges_.erase(std::unique(edges_.begin(), edges_.end()), edges_.end());
    cell_lo_.resize(u);
    cell_hi_.resize(u);
    for (size_t k = 0; k < u; ++k) {
      const double t = dim.transform.to_space(distinct_[k]);
      cell_lo_[k] = static_cast<size_t>(std::lower_bound(edges_.begin(), edges_.end(), std::max(t - half, dim.transform.low)) - edges_.begin());
      cell_hi_[k] = static_cast<size_t>(std::lower_bound(edges_.begin(), edges_.end(), std::min(t + half, dim.transform.high)) - edges_.begin());
    }
    tails_.resize(edges_.size());
    for (size_t j = 0; j < m; ++j) {
      // The smaller tail at each edge, ndtr(-|z|): one erfc per edge, exact in both tails.
      const double inv = 1.0 / dim.sigmas[j];
      for (size_t e = 0; e < edges_.size(); ++e) {
        const double z = std::abs((edges_[e] - dim.mus[j]) * inv);
        tails_[e] = z < kFarZ ? truncnorm::ndtr(-z) : 0.0;
      }
      for (size_t k = 0; k < u; ++k) {
        const double za = edges_[cell_lo_[k]] - dim.mus[j], zb = edges_[cell_hi_[k]] - dim.mus[j];
        const double ta = tails_[cell_lo_[k]], tb = tails_[cell_hi_[k]];
        const double mass = zb <= 0.0 ? tb - ta : za > 0.0 ? ta - tb : 1.0 - ta - tb;
        sums_[k] += dim.coef[j] * mass;
      }
    }
  }
  out.resize(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    const size_t k = static_cast<size_t>(std::lower_bound(distinct_.begin(), distinct_.end(), xs[i]) - distinct_.begin());
    // Underflow (a value far in every kernel's tail): redo it in log space.
    out[i] = sums_[k] > 1e-280 ? std::log(sums_[k]) : log_pdf_one({xs}, i);
  }
}

void ParzenEstimator::log_pdf(const std::vector<std::vector<double>>& samples, std::vector<double>& out) const {
  if (dims_.size() == 1) {
    log_pdf_univariate(samples[0], out);
    return;
  }
  const size_t n = samples.empty() ? 0 : samples.front().size();
  out.resize(n);
  for (size_t i = 0; i < n; ++i) out[i] = log_pdf_one(samples, i);
}

}  // namespace pelagos::tune
