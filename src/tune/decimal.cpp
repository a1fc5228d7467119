#include "tune/decimal.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#include "pelagos/error.h"

namespace pelagos::tune::decimal {
namespace {

__extension__ typedef __int128 i128;  // wide enough for 36 decimal digits

// mantissa * 10^exponent, exactly the shortest repr of a double.
struct Dec {
  i128 mantissa = 0;
  int exponent = 0;
};

Dec parse(double x) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x);
  std::string s(buf, res.ptr);
  Dec d;
  bool negative = false;
  size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    ++i;
  }
  int frac_digits = 0;
  bool in_frac = false;
  for (; i < s.size() && s[i] != 'e'; ++i) {
    if (s[i] == '.') {
      in_frac = true;
      continue;
    }
    d.mantissa = d.mantissa * 10 + (s[i] - '0');
    if (in_frac) ++frac_digits;
  }
  int exp10 = i < s.size() ? std::atoi(s.c_str() + i + 1) : 0;
  d.exponent = exp10 - frac_digits;
  if (negative) d.mantissa = -d.mantissa;
  return d;
}

[[noreturn]] void too_far_apart() {
  throw Error("low, high and step are more than 36 decimal digits apart (e.g. a low of 1e-40 with a step of "
              "0.1); a stepped range needs values of similar precision");
}

// Checked 128-bit arithmetic: every overflow is the "too far apart" case above
// (fuzzers found two: a wide exponent gap, and a 10-digit mantissa shifted 35 places).
i128 mul(i128 a, i128 b) {
  i128 r;
  if (__builtin_mul_overflow(a, b, &r)) too_far_apart();
  return r;
}
i128 add(i128 a, i128 b) {
  i128 r;
  if (__builtin_add_overflow(a, b, &r)) too_far_apart();
  return r;
}
i128 sub(i128 a, i128 b) {
  i128 r;
  if (__builtin_sub_overflow(a, b, &r)) too_far_apart();
  return r;
}

i128 pow10(int n) {
  i128 p = 1;
  for (int k = 0; k < n; ++k) p = mul(p, 10);
  return p;
}

// Brings all three to the smallest common exponent.
int align(Dec& a, Dec& b, Dec& c) {
  int e = std::min(a.exponent, std::min(b.exponent, c.exponent));
  for (Dec* d : {&a, &b, &c}) {
    int shift = d->exponent - e;
    if (shift > 38) too_far_apart();  // 10^39 does not fit; also keeps the loop short
    d->mantissa = mul(d->mantissa, pow10(shift));
    d->exponent = e;
  }
  return e;
}

i128 floor_div(i128 a, i128 b) {
  i128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

long long steps_in_range(double low, double high, double step) {
  Dec l = parse(low), h = parse(high), s = parse(step);
  align(l, h, s);
  const i128 n = floor_div(sub(h.mantissa, l.mantissa), s.mantissa);
  if (n > std::numeric_limits<long long>::max()) too_far_apart();
  return static_cast<long long>(n);
}

bool divides(double low, double high, double step) {
  Dec l = parse(low), h = parse(high), s = parse(step);
  align(l, h, s);
  return sub(h.mantissa, l.mantissa) % s.mantissa == 0;
}

double add_steps(double low, long long n, double step) {
  Dec l = parse(low), s = parse(step), unused = parse(0.0);
  unused.exponent = std::min(l.exponent, s.exponent);
  int e = align(l, s, unused);
  i128 m = add(l.mantissa, mul(s.mantissa, n));
  bool negative = m < 0;
  if (negative) m = sub(0, m);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  } while (m > 0);
  std::string text = (negative ? "-" : "") + digits + "e" + std::to_string(e);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace pelagos::tune::decimal
