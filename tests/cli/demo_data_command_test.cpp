// `pelagos demo-data` in-process: writes, reports where, refuses to overwrite.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(DemoDataCommand, WritesAndRefusesToOverwrite) {
  test::TempDir dir;
  const std::string out = dir.file("demo");
  std::vector<std::string> args = {"demo-data", out, "--seed", "5", "--train-per-species", "1",
                                   "--validate-per-species", "1", "--test-per-species", "1"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::run_cli(args), 0);
  std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("demo dataset written to " + out), std::string::npos) << printed;
  EXPECT_NE(printed.find("6 species"), std::string::npos) << printed;
  EXPECT_TRUE(std::filesystem::exists(out + "/validate_metadata.xlsx"));

  testing::internal::CaptureStderr();
  EXPECT_EQ(cli::run_cli(args), 1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("not empty"), std::string::npos);
  args.push_back("--force");
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::run_cli(args), 0);
  testing::internal::GetCapturedStdout();
}

}  // namespace
}  // namespace pelagos
