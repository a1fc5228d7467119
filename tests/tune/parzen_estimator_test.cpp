#include <gtest/gtest.h>

#include <cmath>

#include "tune/parzen_estimator.h"
#include "tune/truncnorm.h"

namespace pelagos::tune {
namespace {

// Expected values: optuna.samplers._tpe.parzen_estimator._ParzenEstimator(...).log_pdf
// with TPESampler's defaults (Optuna 3.1.0, which leaves the 1/sigma out of the density).
TPEParams optuna_310(bool multivariate = false) {
  TPEParams p;
  EXPECT_FALSE(p.density_includes_scale);  // the default is Optuna 3.1.0's behaviour
  p.multivariate = multivariate;
  return p;
}

std::vector<double> log_pdf(const std::vector<Distribution>& dists, const std::vector<std::vector<double>>& obs,
                            const std::vector<std::vector<double>>& at, const TPEParams& params) {
  std::vector<const Distribution*> ptrs;
  for (const auto& d : dists) ptrs.push_back(&d);
  ParzenEstimator pe(ptrs, obs, params);
  std::vector<double> out;
  pe.log_pdf(at, out);
  return out;
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9) << "at " << i;
}

TEST(ParzenEstimator, FloatMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Float(-2.0, 3.0)}, {{0.5, -1.0, 2.5, 0.0, 0.1}},
                          {{-2.0, -0.3, 0.05, 1.7, 3.0}}, optuna_310()),
                  {-1.5121275196666346, -0.8360110114508017, -0.774257345509923, -1.1611350397313824,
                   -1.3315595915102854});
}

TEST(ParzenEstimator, LogFloatMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Float(1e-5, 1e-3, true)}, {{1e-4, 3e-5, 5e-4}}, {{1e-5, 1e-4, 2e-4, 9e-4}},
                          optuna_310()),
                  {-1.0202832658416876, -0.6089475835987628, -0.6372955794322123, -0.8613447385886377});
}

TEST(ParzenEstimator, SteppedIntMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Int(512, 8192, false, 512)}, {{512, 1024, 4096, 8192, 1024}},
                          {{512, 1024, 1536, 6144, 8192}}, optuna_310()),
                  {-2.1042201507701574, -2.090825087379216, -2.196038247928378, -3.186779420798814,
                   -3.3809483020548274});
}

TEST(ParzenEstimator, LogIntMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Int(1, 100, true)}, {{1, 3, 50}}, {{1, 2, 10, 100}}, optuna_310()),
                  {-0.768015976016893, -0.6867417611014085, -0.8088294426721369, -0.9697262411870532});
}

TEST(ParzenEstimator, CategoricalMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Categorical({"a", "b", "c"})}, {{0, 0, 2}}, {{0, 1, 2}}, optuna_310()),
                  {-0.7419373447293773, -1.6582280766035324, -1.0986122886681096});
}

TEST(ParzenEstimator, PriorOnlyWithoutObservations) {
  expect_near_all(log_pdf({Distribution::Float(-2.0, 3.0)}, {{}}, {{0.0, 2.9}}, optuna_310()),
                  {0.03597780049094956, -0.0742221995090504});
}

TEST(ParzenEstimator, RampWeightsWithManyObservationsMatchOptuna) {
  const std::vector<double> obs{0.744,  1.576,  1.014, 0.724, 0.118, 1.229, 0.188,  2.459, 2.818, -0.083,
                                1.959,  0.644,  0.84,  2.628, -1.645, -1.564, -1.899, 2.163, 1.891, 2.35,
                                2.893,  1.996,  0.307, 1.903, -1.409, 1.2,   -1.283, 2.723, 0.609, 0.073,
                                -0.677, 1.871,  0.281, 0.842, -1.906, 1.088, 1.06,   1.085, 2.719, 1.409};
  expect_near_all(log_pdf({Distribution::Float(-2.0, 3.0)}, {obs}, {{-1.5, 0.0, 2.2}}, optuna_310()),
                  {-2.4828234398421785, -2.7382873261373852, -2.7202866193387356});
}

TEST(ParzenEstimator, MultivariateMatchesOptuna) {
  expect_near_all(log_pdf({Distribution::Float(-2.0, 3.0), Distribution::Int(512, 8192, false, 512),
                           Distribution::Categorical({"a", "b", "c"})},
                          {{0.5, -1.0, 2.5}, {512, 4096, 8192}, {0, 1, 1}}, {{0.5, -1.9}, {512, 2048}, {0, 2}},
                          optuna_310(true)),
                  {-3.860207980874052, -5.182731429873292});
}

TEST(ParzenEstimator, DensityWithScaleIntegratesToOne) {
  TPEParams params;
  params.density_includes_scale = true;
  const Distribution d = Distribution::Float(-2.0, 3.0);
  std::vector<double> grid;
  for (int i = 0; i <= 5000; ++i) grid.push_back(-2.0 + 5.0 * i / 5000);
  const auto lp = log_pdf({d}, {{0.5, -1.0, 2.5, 0.0, 0.1, 0.11}}, {grid}, params);
  double integral = 0.0;
  for (size_t i = 0; i + 1 < grid.size(); ++i)
    integral += 0.5 * (std::exp(lp[i]) + std::exp(lp[i + 1])) * (grid[i + 1] - grid[i]);
  EXPECT_NEAR(integral, 1.0, 2e-3);
}

TEST(ParzenEstimator, SamplesStayOnTheGridAndInRange) {
  const Distribution d = Distribution::Float(0.1, 0.5, false, 0.1);
  const std::vector<const Distribution*> dists{&d};
  ParzenEstimator pe(dists, {{0.1, 0.2, 0.2}}, TPEParams{});
  Rng rng(7);
  std::vector<std::vector<double>> samples;
  pe.sample(rng, 500, samples);
  for (double v : samples[0]) EXPECT_TRUE(d.contains(v)) << v;
}

TEST(Truncnorm, InverseCdfAndTails) {
  for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.77, 0.999})
    EXPECT_NEAR(truncnorm::ndtr(truncnorm::ndtri(p)) / p, 1.0, 1e-12) << p;
  // Far right tail: the log mass must not collapse to log(0).
  EXPECT_NEAR(truncnorm::log_gauss_mass(40.0, 41.0), -804.6084420137538, 1e-6);
  for (double u : {0.0, 0.25, 0.5, 0.99}) {
    const double x = truncnorm::ppf(u, 3.0, 3.5);
    EXPECT_GE(x, 3.0);
    EXPECT_LE(x, 3.5);
  }
  EXPECT_NEAR(truncnorm::ppf(0.5, -1.0, 1.0), 0.0, 1e-12);
}

}  // namespace
}  // namespace pelagos::tune
