#include "cache/feature_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "cache/cache_dir.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

Patches make_patches(int64_t count, float seed) {
  Patches p;
  p.count = count;
  p.frames = 96;
  p.bands = 64;
  p.data.resize(size_t(count) * 96 * 64);
  for (size_t i = 0; i < p.data.size(); ++i) p.data[i] = seed + float(i % 977) * 0.25f;
  for (int64_t i = 0; i < count; ++i) p.start_s.push_back(0.96 * double(i));
  return p;
}

void expect_same(const Patches& a, const Patches& b) {
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.frames, b.frames);
  EXPECT_EQ(a.bands, b.bands);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.start_s, b.start_s);
}

const nlohmann::json kParams = {{"kind", "vggish"}};

TEST(FeatureCache, KeyDependsOnContentAndParams) {
  const std::string k = FeatureCache::key("aa", "p1");
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k, FeatureCache::key("aa", "p1"));
  EXPECT_NE(k, FeatureCache::key("ab", "p1"));
  EXPECT_NE(k, FeatureCache::key("aa", "p2"));
}

TEST(FeatureCache, StoresAndLoadsPatches) {
  test::TempDir dir;
  FeatureCache cache(dir.path().string());
  const std::string key = FeatureCache::key("abc", "def");
  EXPECT_FALSE(cache.load(key).has_value());
  Patches p = make_patches(3, -1.5f);
  cache.store(key, p, kParams, "/some/file.wav", "abc");
  EXPECT_TRUE(std::filesystem::exists(cache.entry_path(key)));
  EXPECT_NE(cache.entry_path(key).find("features/v1/" + key.substr(0, 2) + "/"), std::string::npos);
  auto loaded = cache.load(key);
  ASSERT_TRUE(loaded.has_value());
  expect_same(*loaded, p);
  EXPECT_EQ(cache.corrupt_entries(), 0);
  EXPECT_TRUE(cache_usage(dir.path().string()).tagged);
}

TEST(FeatureCache, StoresZeroPatches) {
  test::TempDir dir;
  FeatureCache cache(dir.path().string());
  const std::string key = FeatureCache::key("short", "drop");
  cache.store(key, make_patches(0, 0.f), kParams, "short.wav", "short");
  auto loaded = cache.load(key);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->count, 0);
  EXPECT_TRUE(loaded->data.empty());
}

// Every kind of damage must read as a miss, count as corrupt and remove the entry.
TEST(FeatureCache, DamagedEntriesAreMissesAndRemoved) {
  test::TempDir dir;
  FeatureCache cache(dir.path().string());
  const std::string key = FeatureCache::key("f", "p");
  const Patches p = make_patches(2, 4.f);
  using Damage = void (*)(std::string&);
  const std::vector<std::pair<const char*, Damage>> damages = {
      {"truncated", [](std::string& b) { b.resize(b.size() / 2); }},
      {"empty", [](std::string& b) { b.clear(); }},
      {"one payload byte flipped", [](std::string& b) { b[b.size() / 2] ^= 0x10; }},
      {"checksum byte changed", [](std::string& b) { b.back() = b.back() == '0' ? '1' : '0'; }},
      {"trailing garbage", [](std::string& b) { b += "xyz"; }},
  };
  int64_t expected_corrupt = 0;
  for (const auto& [what, damage] : damages) {
    SCOPED_TRACE(what);
    cache.store(key, p, kParams, "f.wav", "f");
    std::string bytes = read_file(cache.entry_path(key));
    damage(bytes);
    write_file_atomic(cache.entry_path(key), bytes);
    EXPECT_FALSE(cache.load(key).has_value());
    EXPECT_EQ(cache.corrupt_entries(), ++expected_corrupt);
    EXPECT_FALSE(std::filesystem::exists(cache.entry_path(key)));
  }
}

// An entry renamed to another key (or a key collision) is not served for the wrong key.
TEST(FeatureCache, EntryUnderWrongKeyIsRejected) {
  test::TempDir dir;
  FeatureCache cache(dir.path().string());
  const std::string a = FeatureCache::key("a", "p"), b = FeatureCache::key("b", "p");
  cache.store(a, make_patches(1, 0.f), kParams, "a.wav", "a");
  std::filesystem::create_directories(std::filesystem::path(cache.entry_path(b)).parent_path());
  std::filesystem::copy_file(cache.entry_path(a), cache.entry_path(b));
  EXPECT_FALSE(cache.load(b).has_value());
  EXPECT_TRUE(cache.load(a).has_value());
}

TEST(FeatureCache, ConcurrentWritersOfOneKeyLeaveOneWholeEntry) {
  test::TempDir dir;
  FeatureCache cache(dir.path().string());
  const std::string key = FeatureCache::key("same", "p");
  const Patches p = make_patches(5, 2.f);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        cache.store(key, p, kParams, "same.wav", "same");
        auto got = cache.load(key);  // never torn: either absent or whole
        if (got) EXPECT_EQ(got->data, p.data);
      }
    });
  for (auto& w : writers) w.join();
  auto loaded = cache.load(key);
  ASSERT_TRUE(loaded.has_value());
  expect_same(*loaded, p);
  EXPECT_EQ(cache.corrupt_entries(), 0);
  EXPECT_EQ(cache_usage(dir.path().string()).entries(), 1);  // no temporary files left behind
}

TEST(CacheDir, UsageAndClear) {
  test::TempDir dir;
  const std::string root = (dir.path() / "cache").string();
  EXPECT_FALSE(cache_usage(root).exists);
  FeatureCache cache(root);
  cache.store(FeatureCache::key("a", "p"), make_patches(1, 0.f), kParams, "a.wav", "a");
  cache.store(FeatureCache::key("b", "p"), make_patches(2, 0.f), kParams, "b.wav", "b");
  CacheUsage u = cache_usage(root);
  EXPECT_TRUE(u.exists);
  EXPECT_TRUE(u.tagged);
  EXPECT_EQ(u.entries(), 2);
  EXPECT_EQ(u.kinds.at("features").entries, 2);
  EXPECT_GT(u.bytes(), int64_t(3 * 96 * 64 * sizeof(float)));
  CacheUsage removed = clear_cache(root);
  EXPECT_EQ(removed.entries(), 2);
  EXPECT_EQ(cache_usage(root).entries(), 0);
  EXPECT_TRUE(cache_usage(root).tagged);  // still a pelagos cache, ready for reuse
  EXPECT_FALSE(cache.load(FeatureCache::key("a", "p")).has_value());
}

TEST(CacheDir, RefusesToClearAFolderPelagosDidNotCreate) {
  test::TempDir dir;
  write_file_atomic(dir.file("precious.txt"), "keep me");
  EXPECT_THROW(clear_cache(dir.path().string()), Error);
  EXPECT_TRUE(std::filesystem::exists(dir.file("precious.txt")));
}

}  // namespace
}  // namespace pelagos
