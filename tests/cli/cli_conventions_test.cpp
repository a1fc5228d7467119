// Conventions every command keeps: --help with examples, documented exit codes
// (1 for user errors, 3 when interrupted), --version with build information.
#include <gtest/gtest.h>

#include "support/subprocess.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

const std::string kPelagos = std::string(PELAGOS_BINARY_DIR) + "/pelagos";

TEST(CliConventions, EveryCommandHasHelpWithExamples) {
  for (const char* command : {"demo", "demo-data", "inspect", "features", "cache", "weights", "train", "evaluate",
                              "predict", "embed", "tune", "study", "report", "completion"}) {
    const auto r = test::run_command(kPelagos + " " + command + " --help 2>&1");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << "`pelagos " << command << " --help` has no examples";
  }
}

TEST(CliConventions, UserErrorsExitWithOne) {
  EXPECT_EQ(test::run_command(kPelagos + " tune --no-such-flag 2>/dev/null").exit_code, 1);
  EXPECT_EQ(test::run_command(kPelagos + " inspect --data /nonexistent/pelagos 2>/dev/null").exit_code, 1);
  EXPECT_EQ(test::run_command(kPelagos + " 2>/dev/null").exit_code, 1);
}

TEST(CliConventions, InterruptedExitsWithThree) {
  PELAGOS_REQUIRE_TORCH_PART();
  test::TempDir dir;
  // `pelagos demo` runs for minutes; SIGINT a second into it.
  const auto r = test::run_command(kPelagos + " --quiet demo --out " + dir.file("demo") +
                                   " & pid=$!; sleep 1.5; kill -INT $pid; wait $pid; echo $?");
  EXPECT_EQ(r.out, "3\n");
}

TEST(CliConventions, VersionNamesTheBuildAndLibTorch) {
  PELAGOS_REQUIRE_TORCH_PART();
  const auto r = test::run_command(kPelagos + " --version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("pelagos " PELAGOS_VERSION " (commit "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("LibTorch 1."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("BLAS"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.find("CPU") != std::string::npos || r.out.find("CUDA") != std::string::npos) << r.out;
}

}  // namespace
}  // namespace pelagos
