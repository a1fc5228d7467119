// A seeded random source whose numbers are the same on every platform and
// standard library (std::*_distribution are not), so demo data is reproducible.
#pragma once
#include <cmath>
#include <cstdint>

namespace pelagos {

class DemoRng {
 public:
  explicit DemoRng(uint64_t seed) : state_(seed) {}

  // splitmix64: tiny, fast, well mixed.
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int below(int n) { return static_cast<int>(uniform() * n); }  // [0, n)
  double normal() {                                              // Box-Muller
    double u1 = 1.0 - uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * uniform());
  }

 private:
  uint64_t state_;
};

// Combines a seed with stream numbers into an independent seed (one per clip).
inline uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  DemoRng r(seed ^ (a * 0xD1B54A32D192ED03ull) ^ (b * 0x8CB92BA72F3D8DD7ull));
  r.next();
  return r.next();
}

}  // namespace pelagos
