// Helpers shared by the tests: fixture locations, temporary folders and
// generated audio files (tests make their own input signals).
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace pelagos::test {

// ../shared beside the checkout, or "" when absent.
std::string shared_dir();

// Skips the current test with a clear message when ../shared is missing.
#define PELAGOS_REQUIRE_SHARED()                                                        \
  do {                                                                                  \
    if (::pelagos::test::shared_dir().empty())                                          \
      GTEST_SKIP() << "../shared is not present beside the checkout; this test needs " \
                      "its fixtures (CI always has them).";                             \
  } while (0)

// A fresh temporary folder, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes interleaved float samples with libsndfile; `sf_format` is a SF_FORMAT_* combination
// (default: 16-bit PCM WAV).
void write_audio(const std::string& path, const std::vector<float>& interleaved, int sample_rate,
                 int channels = 1, int sf_format = 0);

// Runs `command` through /bin/sh; returns its exit status and stdout (stderr
// passes through to the test's own).
struct CommandResult {
  int exit_code = -1;
  std::string out;
};
CommandResult run_command(const std::string& command);

// "/usr/bin/python3" when it can import optuna (Debian's python3-optuna), else "".
const std::string& optuna_python();

// Skips the current test when no Python with Optuna is installed.
#define PELAGOS_REQUIRE_OPTUNA()                                                              \
  do {                                                                                        \
    if (::pelagos::test::optuna_python().empty())                                             \
      GTEST_SKIP() << "/usr/bin/python3 with optuna is not installed (apt-get install "       \
                      "python3-optuna); this test cross-checks against Optuna (CI has it).";  \
  } while (0)

// Headless Chromium (Debian's `chromium`), or "" when it is not installed.
const std::string& chromium();

#define PELAGOS_REQUIRE_CHROMIUM()                                                                  \
  do {                                                                                              \
    if (::pelagos::test::chromium().empty())                                                        \
      GTEST_SKIP() << "chromium is not installed (apt-get install chromium; scripts/setup.sh lists " \
                      "it); this test renders the HTML report in a browser.";                       \
  } while (0)

// Opens `html_path` in headless Chromium, saves a screenshot to `png_path`, and
// returns the page's DOM after rendering and every console message Chromium logged.
struct BrowserRender {
  bool screenshot_ok = false;
  std::string dom;
  std::vector<std::string> console;  // lines with ":CONSOLE" (errors, uncaught exceptions, CSP refusals)
};
BrowserRender render_in_chromium(const std::string& html_path, const std::string& png_path, int width = 1280,
                                 int height = 3000);

// The message of the pelagos::Error that `f` throws; "" when it throws none.
std::string error_of(const std::function<void()>& f);

// A sine of `seconds` at `hz`, amplitude `amp`.
std::vector<float> sine(double hz, double seconds, int sample_rate, double amp = 0.5);

}  // namespace pelagos::test
