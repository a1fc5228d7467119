#include "cache/file_digest.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

TEST(FileDigest, HashesOnceAndNoticesChanges) {
  test::TempDir dir;
  const std::string path = dir.file("a.bin");
  write_file_atomic(path, "first contents");
  const long long before = file_sha256_computed_count();
  EXPECT_EQ(file_sha256_cached(path), sha256_hex("first contents"));
  EXPECT_EQ(file_sha256_cached(path), sha256_hex("first contents"));
  EXPECT_EQ(file_sha256_computed_count(), before + 1);
  // Same size, rewritten: a new inode (atomic write) and a new mtime give a new signature.
  write_file_atomic(path, "other contents");
  EXPECT_EQ(file_sha256_cached(path), sha256_hex("other contents"));
  EXPECT_EQ(file_sha256_computed_count(), before + 2);
}

std::vector<std::filesystem::path> index_entries(const std::string& cache) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(cache + "/digests")) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache + "/digests"))
    if (e.is_regular_file()) out.push_back(e.path());
  return out;
}

const std::string kBig(2 << 20, 'x');  // the index keeps files of 1 MiB or more

TEST(FileDigest, DiskIndexServesSettledFilesAcrossProcesses) {
  test::TempDir dir;
  const std::string path = dir.file("old.wav"), cache = dir.file("cache");
  write_file_atomic(path, kBig + "settled contents");
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  const std::string expected = sha256_hex(kBig + "settled contents");
  const long long before = file_sha256_computed_count();
  EXPECT_EQ(file_sha256_cached(path, cache), expected);
  ASSERT_EQ(index_entries(cache).size(), 1u);
  forget_file_digests();  // as a new process would start
  EXPECT_EQ(file_sha256_cached(path, cache), expected);
  EXPECT_EQ(file_sha256_computed_count(), before + 1);  // read from the index, not hashed

  // A damaged index entry is dropped and the file hashed again.
  write_file_atomic(index_entries(cache)[0].string(), "not a digest");
  forget_file_digests();
  EXPECT_EQ(file_sha256_cached(path, cache), expected);
  EXPECT_EQ(file_sha256_computed_count(), before + 2);

  // Rewritten with the same size and the same (old) mtime: a new signature (inode, ctime), hashed again.
  write_file_atomic(path, kBig + "SETTLED contents");
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  forget_file_digests();
  EXPECT_EQ(file_sha256_cached(path, cache), sha256_hex(kBig + "SETTLED contents"));
  EXPECT_EQ(file_sha256_computed_count(), before + 3);
}

TEST(FileDigest, FreshOrSmallFilesAreNotIndexed) {
  test::TempDir dir;
  const std::string fresh = dir.file("new.wav"), small = dir.file("small.wav"), cache = dir.file("cache");
  write_file_atomic(fresh, kBig + "still being written?");
  write_file_atomic(small, "small");
  std::filesystem::last_write_time(small, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  EXPECT_EQ(file_sha256_cached(fresh, cache), sha256_hex(kBig + "still being written?"));
  EXPECT_EQ(file_sha256_cached(small, cache), sha256_hex("small"));
  EXPECT_TRUE(index_entries(cache).empty());
}

TEST(FileDigest, MissingFileNamesIt) {
  try {
    file_sha256_cached("/nonexistent/dir/x.wav");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.wav"), std::string::npos);
  }
}

}  // namespace
}  // namespace pelagos
