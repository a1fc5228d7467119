#include <unistd.h>

#include <gtest/gtest.h>

#include "cache/cache_dir.h"
#include "cache/feature_cache.h"
#include "cli/cli.h"
#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

void add_entry(const std::string& root, const std::string& name) {
  Patches p;
  p.count = 1;
  p.data.assign(96 * 64, 0.5f);
  p.start_s = {0.0};
  FeatureCache(root).store(FeatureCache::key(name, "p"), p, {}, name, name);
}

TEST(CacheCommand, InfoReportsLocationEntriesAndSize) {
  test::TempDir dir;
  const std::string root = dir.file("c");
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::run_cli({"--cache-dir", root, "cache", "info"}), 0);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("location: " + root), std::string::npos) << out;
  EXPECT_NE(out.find("entries:  0"), std::string::npos) << out;

  add_entry(root, "a");
  add_entry(root, "b");
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::run_cli({"--cache-dir", root, "cache", "info"}), 0);
  out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("features: 2 entries"), std::string::npos) << out;
  EXPECT_NE(out.find("entries:  2"), std::string::npos) << out;
  EXPECT_NE(out.find("KiB"), std::string::npos) << out;
}

TEST(CacheCommand, ClearWithYesEmptiesTheCache) {
  test::TempDir dir;
  const std::string root = dir.file("c");
  add_entry(root, "a");
  EXPECT_EQ(cli::run_cli({"--cache-dir", root, "-q", "cache", "clear", "--yes"}), 0);
  EXPECT_EQ(cache_usage(root).entries(), 0);
  EXPECT_EQ(cli::run_cli({"--cache-dir", root, "-q", "cache", "clear", "--yes"}), 0);  // already empty
}

TEST(CacheCommand, ClearWithoutYesRefusesWhenNotInteractive) {
  if (isatty(STDIN_FILENO)) GTEST_SKIP() << "stdin is a terminal: the command would ask";
  test::TempDir dir;
  const std::string root = dir.file("c");
  add_entry(root, "a");
  EXPECT_EQ(cli::run_cli({"--cache-dir", root, "cache", "clear"}), kExitUserError);
  EXPECT_EQ(cache_usage(root).entries(), 1);
}

TEST(CacheCommand, NeedsASubcommand) {
  EXPECT_EQ(cli::run_cli({"cache"}), kExitUserError);
}

}  // namespace
}  // namespace pelagos
