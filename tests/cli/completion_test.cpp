// `pelagos completion bash`: the generated script, sourced in a real bash,
// completes commands, nested commands and flags.
#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.h"

namespace pelagos {
namespace {

// Completions bash offers for the words of `line` (the last word is being completed).
std::string complete(const std::string& script, const std::string& line) {
  const std::string words = "pelagos " + line;
  const std::string cmd = "bash -c 'source " + script + " && COMP_WORDS=(" + words +
                          ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && " +
                          (line.empty() || line.back() == ' ' ? "COMP_WORDS+=(\"\") && COMP_CWORD=$((COMP_CWORD + 1)) && " : "") +
                          "_pelagos && printf \"%s\\n\" \"${COMPREPLY[@]}\"'";
  return test::run_command(cmd).out;
}

class Completion : public ::testing::Test {
 protected:
  void SetUp() override {
    script_ = dir_.file("pelagos.bash");
    const auto r = test::run_command(std::string(PELAGOS_BINARY_DIR) + "/pelagos completion bash > " + script_);
    ASSERT_EQ(r.exit_code, 0);
  }
  test::TempDir dir_;
  std::string script_;
};

TEST_F(Completion, CompletesCommandNames) {
  EXPECT_EQ(complete(script_, "tu"), "tune\n");
  const std::string all = complete(script_, "de");
  EXPECT_NE(all.find("demo\n"), std::string::npos);
  EXPECT_NE(all.find("demo-data\n"), std::string::npos);
}

TEST_F(Completion, CompletesNestedCommandsAndTheirFlags) {
  EXPECT_EQ(complete(script_, "study as"), "ask\n");
  const std::string flags = complete(script_, "tune --stu");
  EXPECT_EQ(flags, "--study-name\n");
  EXPECT_EQ(complete(script_, "report --for"), "--format\n");
  // Global flags are offered after a command too (they fall through).
  EXPECT_NE(complete(script_, "tune --qu").find("--quiet"), std::string::npos);
}

TEST_F(Completion, CompletesFileNamesAfterAFlagThatTakesAValue) {
  std::ofstream(dir_.file("space.json")) << "{}";
  EXPECT_EQ(complete(script_, "tune --space " + dir_.file("spa")), dir_.file("space.json") + "\n");
}

}  // namespace
}  // namespace pelagos
