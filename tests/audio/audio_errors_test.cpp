// Files a user may hand us that are not usable audio: each error names the file.
#include <gtest/gtest.h>

#include <sndfile.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "pelagos/audio.h"
#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

// The message of the Error that reading `path` raises, or "" when none.
std::string read_error(const std::string& path, const AudioReadOptions& options = {}) {
  try {
    read_audio(path, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

void expect_error_naming(const std::string& path, const std::string& words, const AudioReadOptions& options = {}) {
  const std::string message = read_error(path, options);
  ASSERT_FALSE(message.empty()) << path << " was read without error";
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find(words), std::string::npos) << message;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Overwrites a little-endian integer of `size` bytes at `offset`.
void patch(const std::string& path, long offset, uint32_t value, int size) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(offset);
  for (int i = 0; i < size; ++i) f.put(static_cast<char>((value >> (8 * i)) & 0xff));
}

TEST(AudioErrors, MissingEmptyTextAndFolder) {
  test::TempDir dir;
  expect_error_naming(dir.file("absent.wav"), "cannot read as audio");
  write_bytes(dir.file("empty.wav"), "");
  expect_error_naming(dir.file("empty.wav"), "cannot read as audio");
  write_bytes(dir.file("notes.wav"), "this is text, not audio\n");
  expect_error_naming(dir.file("notes.wav"), "cannot read as audio");
  std::filesystem::create_directory(dir.file("folder.wav"));
  expect_error_naming(dir.file("folder.wav"), "folder");
  EXPECT_THROW(probe_audio(dir.file("notes.wav")), Error);
}

TEST(AudioErrors, HeaderOnly) {
  test::TempDir dir;
  test::write_audio(dir.file("header.wav"), {}, 16000);
  expect_error_naming(dir.file("header.wav"), "no audio samples");
}

TEST(AudioErrors, TruncatedWavFailsNamingTheFile) {
  test::TempDir dir;
  const std::string path = dir.file("cut.wav");
  test::write_audio(path, test::sine(440, 1.0, 16000), 16000);
  std::filesystem::resize_file(path, 44 + 2 * 5000);
  expect_error_naming(path, "is truncated");
  EXPECT_THROW(probe_audio(path), Error);
}

TEST(AudioErrors, TruncatedFlacFailsNamingTheFile) {
  test::TempDir dir;
  const std::string path = dir.file("cut.flac");
  std::vector<float> x(48000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * float((i * 7919) % 1000) / 1000.0f;  // incompressible-ish
  test::write_audio(path, x, 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 3);
  expect_error_naming(path, "damaged or truncated");
}

TEST(AudioErrors, AbsurdRateOrChannelsInTheHeader) {
  test::TempDir dir;
  const std::string fast = dir.file("fast.wav");
  test::write_audio(fast, test::sine(440, 0.1, 16000), 16000);
  patch(fast, 24, 50000000, 4);  // sample rate field of the fmt chunk
  expect_error_naming(fast, "sample rate 50000000 Hz is outside");
  const std::string slow = dir.file("slow.wav");
  test::write_audio(slow, test::sine(440, 0.1, 16000), 16000);
  patch(slow, 24, 300, 4);
  expect_error_naming(slow, "sample rate 300 Hz is outside");
  const std::string wide = dir.file("wide.wav");
  test::write_audio(wide, test::sine(440, 0.1, 16000), 16000);
  patch(wide, 22, 1000, 2);  // channel count
  EXPECT_NE(read_error(wide).find(wide), std::string::npos);
}

TEST(AudioErrors, BadOptions) {
  test::TempDir dir;
  test::write_audio(dir.file("a.wav"), test::sine(440, 0.1, 16000), 16000);
  AudioReadOptions channel;
  channel.channel = 1;
  expect_error_naming(dir.file("a.wav"), "--channel 1", channel);
  channel.channel = -2;
  expect_error_naming(dir.file("a.wav"), "--channel -2", channel);
  AudioReadOptions rate;
  rate.target_rate = 5;
  expect_error_naming(dir.file("a.wav"), "output rate 5 Hz", rate);
}

}  // namespace
}  // namespace pelagos
