#include "pelagos/tune/sampler.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos::tune {

namespace {
uint64_t draw_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}
}  // namespace

Sampler::Sampler(std::optional<uint64_t> seed) : seed_(seed ? *seed : draw_seed()) {}
Sampler::~Sampler() = default;

void Sampler::before_trial(const StudyView&, FrozenTrial&) {}

std::map<std::string, double> Sampler::sample_relative(const StudyView&, const FrozenTrial&, const SearchSpace&) {
  return {};
}

bool Sampler::exhausted(const StudyView&) const { return false; }

int TPEParams::gamma(int n) const {
  return std::min(static_cast<int>(std::ceil(gamma_fraction * n)), gamma_max);
}

std::vector<double> TPEParams::weights(int n) const {
  std::vector<double> w(static_cast<size_t>(std::max(n, 0)), 1.0);
  if (n <= weights_flat) return w;
  // np.linspace(1/n, 1, n - flat) for the oldest n - flat observations.
  const int ramp = n - weights_flat;
  for (int i = 0; i < ramp; ++i)
    w[static_cast<size_t>(i)] =
        ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * static_cast<double>(i) / (ramp - 1);
  return w;
}

void TPEParams::validate() const {
  auto fail = [](const std::string& what) { throw Error("TPE sampler: " + what); };
  if (!(prior_weight > 0.0)) fail(fmt::format("prior_weight must be > 0 (got {})", prior_weight));
  if (n_startup_trials < 0) fail(fmt::format("n_startup_trials must be >= 0 (got {})", n_startup_trials));
  if (n_ei_candidates < 1) fail(fmt::format("n_ei_candidates must be >= 1 (got {})", n_ei_candidates));
  if (!(gamma_fraction > 0.0 && gamma_fraction <= 1.0))
    fail(fmt::format("gamma_fraction must be in (0, 1] (got {})", gamma_fraction));
  if (gamma_max < 1) fail(fmt::format("gamma_max must be >= 1 (got {})", gamma_max));
  if (weights_flat < 0) fail(fmt::format("weights_flat must be >= 0 (got {})", weights_flat));
}

std::unique_ptr<Sampler> make_sampler(const std::string& name, std::optional<uint64_t> seed, bool constant_liar) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "tpe" || n == "tpe-multivariate") {
    TPEParams p;
    p.multivariate = n == "tpe-multivariate";
    p.constant_liar = constant_liar;
    return std::make_unique<TPESampler>(p, seed);
  }
  if (n == "random") return std::make_unique<RandomSampler>(seed);
  throw Error("unknown sampler '" + name + "'; use tpe, tpe-multivariate or random");
}

}  // namespace pelagos::tune
