// The bad-input corpus: each case builds one broken (or odd but valid) input in a
// fresh sandbox, runs the real `pelagos` binary on it as a child process, and
// checks that it ends without a signal or a hang, with the expected status and a
// message naming the file / row / field and what to do.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "support/subprocess.h"

#include "support/test_support.h"

namespace pelagos::test {

using Rows = std::vector<std::vector<std::string>>;

// A fresh folder holding a small valid two-species dataset under data/
// (train: 2+2 clips, validate 1+1, test 1+1) that a case breaks in one place.
class Sandbox {
 public:
  Sandbox();
  std::string root() const { return dir_.file("data"); }
  std::string path(const std::string& relative) const { return dir_.file(relative); }
  std::string clip_path(const std::string& split, const std::string& name) const;
  // A 0.5 s 16 kHz sine clip in `split`.
  void clip(const std::string& split, const std::string& name, double hz = 440);
  void metadata(const std::string& split, const Rows& rows);
  // The valid dataset; `extra_train` rows are appended to train's metadata.
  void good_dataset(const Rows& extra_train = {});
  static constexpr int kGoodFiles = 8;

 private:
  TempDir dir_;
};

struct BadInputCase {
  std::string name;                                         // a gtest name: letters, digits, '_'
  std::function<std::vector<std::string>(Sandbox&)> setup;  // builds the input; returns the pelagos arguments
  std::vector<std::string> expect;                          // each appears in stderr or stdout; "{sandbox}" = its path
  bool valid = false;        // an odd but valid input: exit status 0 expected
  bool needs_torch = false;  // runs a LibTorch command (skipped where libpelagos_torch is not built)
  std::function<void(Sandbox&, const ProcessResult&)> also;  // further checks (other files processed, RSS, ...)
  double timeout_s = 60;
};

inline std::ostream& operator<<(std::ostream& os, const BadInputCase& c) { return os << c.name; }

// Runs one case and checks the common contract.
void run_bad_input_case(const BadInputCase& c);

// The argument of a "file://" URL for `path`.
std::string file_url(const std::string& path);

}  // namespace pelagos::test
