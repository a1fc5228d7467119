// Exact decimal arithmetic on the shortest repr of doubles, as Optuna does
// with decimal.Decimal(str(x)) when it checks whether a step divides a range.
// Doing it in binary floating point would, e.g., call 0.3 - 0.0 not a
// multiple of 0.1 and shift `high` by one step.
#pragma once

namespace pelagos::tune::decimal {

// floor((high - low) / step), computed on the decimal reprs (step > 0, high >= low).
long long steps_in_range(double low, double high, double step);
// True when (high - low) is an exact multiple of step in decimal.
bool divides(double low, double high, double step);
// low + n * step, computed in decimal and rounded once to the nearest double.
double add_steps(double low, long long n, double step);

}  // namespace pelagos::tune::decimal
