// Runs a program as a child process with a time limit, capturing stdout and
// stderr, and tells apart a normal exit, a signal (a crash) and a hang. The
// bad-input and crash-safety tests use it to run the real `pelagos` binary.
#pragma once
#include <string>
#include <vector>

namespace pelagos::test {

struct ProcessResult {
  int exit_code = -1;     // valid when exited
  bool exited = false;    // ended through exit()/return from main
  int signal = 0;         // the signal that ended it, 0 if none
  bool timed_out = false; // killed by us after the time limit
  long max_rss_kb = 0;    // the child's peak resident memory
  std::string out, err;
  std::string describe() const;  // "exit 1", "signal 11 (crash)", "timed out" + stderr
};

// argv[0] is the program path. `env` entries ("NAME=value") are added to the
// inherited environment. `cwd`: the child's working folder ("" = ours).
ProcessResult run_process(const std::vector<std::string>& argv, double timeout_s,
                          const std::vector<std::string>& env = {}, const std::string& cwd = "");

// The pelagos binary of this build.
std::string pelagos_binary();

// Whether libpelagos_torch.so was built beside it (not in PELAGOS_CORE_ONLY builds).
bool torch_part_built();
#define PELAGOS_REQUIRE_TORCH_PART()                                                                  \
  do {                                                                                                \
    if (!::pelagos::test::torch_part_built())                                                         \
      GTEST_SKIP() << "needs the LibTorch part (libpelagos_torch.so), not built here (PELAGOS_CORE_ONLY)"; \
  } while (0)

}  // namespace pelagos::test
