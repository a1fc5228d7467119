#include "tune/param_transform.h"

#include <algorithm>
#include <cmath>

namespace pelagos::tune {

ParamTransform::ParamTransform(const Distribution& d) : dist_(&d), log_(d.log) {
  bool is_int = d.kind == Distribution::Kind::Int;
  if (d.log) {
    low = std::log(is_int ? d.low - 0.5 : d.low);
    high = std::log(is_int ? d.high + 0.5 : d.high);
  } else if (d.step) {
    q = *d.step;
    low = d.low - 0.5 * *q;
    high = d.high + 0.5 * *q;
  } else {
    low = d.low;
    high = d.high;
  }
}

double ParamTransform::from_space(double x) const {
  const Distribution& d = *dist_;
  double v = x;
  if (log_) {
    v = std::exp(x);
    if (d.kind == Distribution::Kind::Int) v = std::nearbyint(v);
  } else if (q) {
    v = std::nearbyint((x - d.low) / *q) * *q + d.low;  // round half to even, as numpy
  }
  return std::clamp(v, d.low, d.high);
}

}  // namespace pelagos::tune
