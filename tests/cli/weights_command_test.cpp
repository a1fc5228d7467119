#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cli/cli.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

class WeightsFetchCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("TORCH_HOME")) {
      old_ = old;
      had_ = true;
    }
    setenv("TORCH_HOME", home_.path().c_str(), 1);
    write_file_atomic(src_.file("w.bin"), "not really weights");
    sha_ = sha256_hex("not really weights");
  }
  void TearDown() override { had_ ? setenv("TORCH_HOME", old_.c_str(), 1) : unsetenv("TORCH_HOME"); }
  std::string cached() const { return home_.file("hub/checkpoints/vggish-10086976.pth"); }
  std::string url() const { return "file://" + src_.file("w.bin"); }

  test::TempDir home_, src_;
  std::string sha_, old_;
  bool had_ = false;
};

TEST_F(WeightsFetchCommand, DownloadsIntoTheHubCacheOnce) {
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch", "--url", url(), "--sha256", sha_}), 0);
  EXPECT_EQ(read_file(cached()), "not really weights");
  // Present and verified: nothing to do, even from a dead URL.
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch", "--url", "http://127.0.0.1:1/x", "--sha256", sha_}), 0);
  // --force downloads again, and fails cleanly offline, keeping the old file.
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch", "--url", "http://127.0.0.1:1/x", "--sha256", sha_, "--force"}), 1);
  EXPECT_EQ(read_file(cached()), "not really weights");
}

TEST_F(WeightsFetchCommand, WrongChecksumIsAUserError) {
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch", "--url", url()}), 1);  // default: the release checksum
  EXPECT_FALSE(std::filesystem::exists(cached()));
  // A present file with the wrong checksum is not silently accepted.
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch", "--url", url(), "--sha256", sha_}), 0);
  EXPECT_EQ(cli::run_cli({"-q", "weights", "fetch"}), 1);
}

}  // namespace
}  // namespace pelagos
