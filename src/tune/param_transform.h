// The continuous space samplers work in (Optuna's _SearchSpaceTransform and
// the Parzen estimator bounds): log for log ranges, and every grid value of a
// stepped float or int owns a cell of width `step` around it.
#pragma once
#include <cmath>
#include <optional>

#include "pelagos/tune/distribution.h"

namespace pelagos::tune {

struct ParamTransform {
  double low = 0.0;            // transformed bounds
  double high = 0.0;
  std::optional<double> q;     // cell width in the transformed space (stepped, not log)

  explicit ParamTransform(const Distribution& d);
  double to_space(double internal) const { return log_ ? std::log(internal) : internal; }
  // Back to the distribution's internal value: exp, snap to the grid, clip.
  double from_space(double x) const;

 private:
  const Distribution* dist_;
  bool log_;
};

}  // namespace pelagos::tune
