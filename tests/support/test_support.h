// Helpers shared by the tests: fixture locations, temporary folders and
// generated audio files (tests make their own input signals).
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
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

// A sine of `seconds` at `hz`, amplitude `amp`.
std::vector<float> sine(double hz, double seconds, int sample_rate, double amp = 0.5);

}  // namespace pelagos::test
