// The standard normal pieces of TPE's truncated-normal kernels, accurate in
// the tails (Optuna's _truncnorm): CDF and its log, the log of the mass
// between two points, and sampling by inverse CDF.
#pragma once

namespace pelagos::tune::truncnorm {

double ndtr(double x);       // Phi(x)
double log_ndtr(double x);   // log Phi(x), accurate for x << 0
double ndtri(double p);      // Phi^-1(p), 0 < p < 1
// Phi(b) - Phi(a) for a <= b, without cancellation in either tail.
double gauss_mass(double a, double b);
// log(Phi(b) - Phi(a)), also where the mass underflows a double.
double log_gauss_mass(double a, double b);
// The standard normal truncated to [a, b] at quantile u in [0, 1).
double ppf(double u, double a, double b);

}  // namespace pelagos::tune::truncnorm
