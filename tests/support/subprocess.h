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

}  // namespace pelagos::test
