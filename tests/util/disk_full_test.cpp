// A full disk while writing outputs (issue #7): simulated with RLIMIT_FSIZE and
// SIGXFSZ ignored, so write() fails with EFBIG exactly as it fails with ENOSPC.
// The error names the file, and the previous output is left whole.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "support/subprocess.h"
#include "support/test_support.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {
namespace fs = std::filesystem;

// file name -> bytes, for every file under `dir`.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_file(e.path().string());
  return files;
}

// Runs pelagos with the file size limit `kib`.
test::ProcessResult pelagos_with_file_limit(int kib, const std::string& args) {
  return test::run_process({"/bin/bash", "-c", "trap '' XFSZ; ulimit -f " + std::to_string(kib) + "; exec " +
                                                   test::pelagos_binary() + " " + args},
                           120);
}

TEST(DiskFull, DemoDataOverAnOldCopyLeavesEveryFileWhole) {
  test::TempDir dir;
  const std::string small = " --train-per-species 1 --validate-per-species 1 --test-per-species 1";
  ASSERT_EQ(test::run_process({test::pelagos_binary(), "-q", "demo-data", dir.file("one"), "--seed", "1", "--train-per-species",
                               "1", "--validate-per-species", "1", "--test-per-species", "1"}, 120).exit_code, 0);
  ASSERT_EQ(pelagos_with_file_limit(1 << 20, "-q demo-data " + dir.file("two") + " --seed 2" + small).exit_code, 0);
  fs::copy(dir.file("one"), dir.file("target"), fs::copy_options::recursive);

  // 100 KiB: the metadata fits, the first audio clip does not.
  const test::ProcessResult r = pelagos_with_file_limit(100, "demo-data --force " + dir.file("target") + " --seed 2" + small);
  ASSERT_TRUE(r.exited) << r.describe();
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("write failed (File too large)"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("the previous file, if any, is unchanged"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find(dir.file("target")), std::string::npos) << r.describe();

  const auto one = snapshot(dir.file("one")), two = snapshot(dir.file("two")), target = snapshot(dir.file("target"));
  for (const auto& [name, bytes] : target) {
    EXPECT_EQ(name.find(".tmp."), std::string::npos) << "temporary file left behind: " << name;
    const bool old_copy = one.count(name) && one.at(name) == bytes;
    const bool new_copy = two.count(name) && two.at(name) == bytes;
    EXPECT_TRUE(old_copy || new_copy) << name << " is neither the old nor the new file (half-written?)";
  }
  EXPECT_EQ(target.size(), one.size());
}

TEST(DiskFull, AtomicFileKeepsThePreviousContents) {
  test::TempDir dir;
  const std::string target = dir.file("out.json");
  write_file_atomic(target, "{\"previous\": true}\n");
  // In a child, so the limit does not hit this test process.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{16 * 1024, 16 * 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomic(target, std::string(1 << 20, 'x'));
    } catch (const Error& e) {
      const std::string m = e.what();
      _exit(m.find(target) != std::string::npos && m.find("File too large") != std::string::npos ? 0 : 2);
    }
    _exit(1);  // no error at all
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the failed write raised no error; 2: the message lacks the file or reason";
  EXPECT_EQ(read_file(target), "{\"previous\": true}\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "temporary file left";
}

}  // namespace
}  // namespace pelagos
