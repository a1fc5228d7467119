#include "audio/audio_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

TEST(AudioFiles, RecognisesExtensionsCaseInsensitively) {
  EXPECT_TRUE(has_audio_extension("a/b.WAV"));
  EXPECT_TRUE(has_audio_extension("x.flac"));
  EXPECT_FALSE(has_audio_extension("notes.txt"));
  EXPECT_FALSE(has_audio_extension("wav"));
}

TEST(AudioFiles, ExpandsFoldersRecursivelyAndSorted) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "sub" / "deeper");
  for (const char* name : {"b.wav", "a.flac", "sub/c.WAV", "sub/deeper/d.ogg", "readme.txt"})
    write_file_atomic(dir.file(name), "x");
  const std::string root = dir.path().string();
  const auto files = find_audio_files({root, dir.file("readme.txt")});
  const std::vector<std::string> expected = {dir.file("a.flac"), dir.file("b.wav"), dir.file("sub/c.WAV"),
                                             dir.file("sub/deeper/d.ogg"), dir.file("readme.txt")};
  EXPECT_EQ(files, expected);
}

TEST(AudioFiles, MissingInputAndEmptyFolderAreErrors) {
  test::TempDir dir;
  EXPECT_THROW(find_audio_files({dir.file("nope.wav")}), Error);
  EXPECT_THROW(find_audio_files({dir.path().string()}), Error);
}

}  // namespace
}  // namespace pelagos
