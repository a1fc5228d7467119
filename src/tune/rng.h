// A small, portable random generator (xoshiro256**, seeded by splitmix64):
// the same numbers on every platform and standard library, which
// std::uniform_real_distribution does not promise.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pelagos::tune {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// FNV-1a: stable across runs, unlike std::hash.
inline uint64_t stable_hash(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) word = splitmix64(seed);
  }
  // The stream for one trial (and one parameter, or "" for the whole trial).
  static Rng for_trial(uint64_t seed, int64_t trial_number, std::string_view salt) {
    uint64_t mix = seed;
    uint64_t a = splitmix64(mix) ^ static_cast<uint64_t>(trial_number) * 0xD1B54A32D192ED03ULL;
    return Rng(a ^ stable_hash(salt));
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  size_t index(size_t n) { return static_cast<size_t>(uniform() * static_cast<double>(n)) % n; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace pelagos::tune
