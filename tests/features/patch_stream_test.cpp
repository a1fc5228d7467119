// PatchStream: chunked input gives the whole-signal patches, in bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "features/patch_stream.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

std::vector<float> noise(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 0.1f);
  std::vector<float> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

Patches stream(const std::vector<float>& x, const FrontendParams& p, size_t chunk) {
  PatchStream s(p);
  Patches out;
  for (size_t pos = 0; pos < x.size(); pos += chunk) s.push(x.data() + pos, std::min(chunk, x.size() - pos), out);
  s.finish(out);
  return out;
}

void expect_same(const Patches& a, const Patches& b) {
  ASSERT_EQ(a.count, b.count);
  ASSERT_EQ(a.data.size(), b.data.size());
  EXPECT_EQ(a.start_s, b.start_s);
  double worst = 0;
  for (size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, double(std::fabs(a.data[i] - b.data[i])));
  EXPECT_LT(worst, 1e-5);  // the mel matmul may block rows differently per chunk
}

TEST(PatchStream, ChunkedEqualsWholeVGGish) {
  auto x = noise(16000 * 11 + 123, 3);
  for (int hop : {96, 40}) {
    FrontendParams p;
    p.patch_hop_frames = hop;
    Patches whole = compute_patches(x, p);
    for (size_t chunk : {size_t(97), size_t(160), size_t(4000), size_t(100003)}) {
      SCOPED_TRACE(testing::Message() << "hop " << hop << " chunk " << chunk);
      expect_same(stream(x, p, chunk), whole);
    }
  }
}

TEST(PatchStream, ShortStreamIsPaddedOnce) {
  auto x = noise(9000, 4);
  FrontendParams p;
  expect_same(stream(x, p, 1000), compute_patches(x, p));
  EXPECT_EQ(stream(x, p, 1000).count, 1);
  EXPECT_EQ(stream({}, p, 1000).count, 0);  // nothing to pad
}

TEST(PatchStream, SeedCutsConsecutiveClips) {
  FrontendParams p;
  p.kind = FrontendKind::Seed;
  auto x = noise(16000 * 12, 5);  // 5 s + 5 s + 2 s
  Patches s = stream(x, p, 7000);
  ASSERT_EQ(s.count, 3);
  EXPECT_EQ(s.start_s, (std::vector<double>{0.0, 5.0, 10.0}));
  for (int k = 0; k < 3; ++k) {
    const size_t from = size_t(k) * 80000, to = std::min(x.size(), from + 80000);
    Patches one = compute_patches(std::vector<float>(x.begin() + long(from), x.begin() + long(to)), p);
    ASSERT_EQ(one.count, 1);
    for (size_t i = 0; i < one.data.size(); ++i) ASSERT_EQ(s.data[size_t(k) * 96 * 64 + i], one.data[i]);
  }
}

TEST(PatchStream, LongStreamKeepsBuffersSmall) {
  // 20 minutes in 1 s chunks; emitted patches are handed out and dropped each time.
  FrontendParams p;
  PatchStream s(p);
  std::vector<float> chunk = test::sine(1000, 1.0, 16000);
  int64_t total = 0;
  for (int i = 0; i < 20 * 60; ++i) {
    Patches out;
    s.push(chunk.data(), chunk.size(), out);
    total += out.count;
    EXPECT_LE(out.count, 2);
  }
  Patches out;
  s.finish(out);
  total += out.count;
  const int64_t frames = 1 + (int64_t(16000) * 1200 - 400) / 160;
  EXPECT_EQ(total, frames / 96);
  EXPECT_EQ(s.samples_pushed(), int64_t(16000) * 1200);
}

}  // namespace
}  // namespace pelagos
