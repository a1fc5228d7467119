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
