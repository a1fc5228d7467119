#include "tune/truncnorm.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pelagos::tune::truncnorm {
namespace {
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;

// log(exp(p) - exp(q)) for p >= q.
double log_diff(double log_p, double log_q) { return log_p + std::log1p(-std::exp(log_q - log_p)); }
}  // namespace

double ndtr(double x) { return 0.5 * std::erfc(-x / kSqrt2); }

double log_ndtr(double x) {
  if (x > 6.0) return -ndtr(-x);  // log(1 - e) ~ -e
  if (x > -20.0) return std::log(ndtr(x));
  // Asymptotic series of the Mills ratio (Optuna's branch for the far left tail).
  double log_lhs = -0.5 * x * x - std::log(-x) - kLogSqrt2Pi;
  double last = 0.0, rhs = 1.0, numerator = 1.0, denom_factor = 1.0;
  const double denom_cons = 1.0 / (x * x);
  int sign = 1;
  for (int i = 1; std::abs(last - rhs) > std::numeric_limits<double>::epsilon() && i < 100; ++i) {
    last = rhs;
    sign = -sign;
    denom_factor *= denom_cons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denom_factor;
  }
  return log_lhs + std::log(rhs);
}

double gauss_mass(double a, double b) {
  if (b <= 0.0) return ndtr(b) - ndtr(a);
  if (a > 0.0) return ndtr(-a) - ndtr(-b);
  return 1.0 - ndtr(a) - ndtr(-b);
}

double log_gauss_mass(double a, double b) {
  if (b <= 0.0) return log_diff(log_ndtr(b), log_ndtr(a));
  if (a > 0.0) return log_diff(log_ndtr(-a), log_ndtr(-b));
  return std::log1p(-ndtr(a) - ndtr(-b));
}

double ndtri(double p) {
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  if (p >= 1.0) return std::numeric_limits<double>::infinity();
  // Acklam's rational approximation (relative error 1.2e-9) ...
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double p_low = 0.02425;
  double x;
  if (p < p_low) {
    double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // ... refined by one Halley step to full double precision.
  double e = (x < 0.0 ? ndtr(x) - p : (1.0 - p) - ndtr(-x));
  double u = e * std::sqrt(2.0 * M_PI) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

double ppf(double u, double a, double b) {
  if (a >= b) return a;
  double x;
  if (a >= 0.0) {  // right tail: mirror so both CDF values are small
    double lo = ndtr(-b), hi = ndtr(-a);
    x = -ndtri(lo + (1.0 - u) * (hi - lo));
  } else if (b <= 0.0) {
    double lo = ndtr(a), hi = ndtr(b);
    x = ndtri(lo + u * (hi - lo));
  } else {
    double left = ndtr(a), right = ndtr(-b), mass = 1.0 - left - right;
    double p = left + u * mass;
    x = p <= 0.5 ? ndtri(p) : -ndtri(right + (1.0 - u) * mass);
  }
  if (!std::isfinite(x)) x = u < 0.5 ? a : b;  // both CDF values underflowed: the mass sits at an edge
  return std::clamp(x, a, b);
}

}  // namespace pelagos::tune::truncnorm
