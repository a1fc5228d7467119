// sha256 of an audio file's bytes, the content half of a feature-cache key.
// Hashing reads the whole file, so digests are remembered, keyed by the file's
// identity and stat signature (device, inode, size, modification and change
// times, in ns): in the process's memory, and when a cache folder is given, on
// disk as well for files of 1 MiB or more (<cache_dir>/digests/v1/), so a warm
// run over long recordings stats its files instead of reading them. Any write to a file changes its
// ctime, which no tool can set back, so a changed file is always hashed again.
#pragma once
#include <string>

namespace pelagos {

// Throws pelagos::Error naming the file when it cannot be read. Thread-safe.
// `cache_dir` empty: memory only.
std::string file_sha256_cached(const std::string& path, const std::string& cache_dir = {});

// Drops the in-process memo (the on-disk index stays): for tests, and for long-running
// processes that must not trust earlier lookups.
void forget_file_digests();

// How many files file_sha256_cached actually hashed in this process (for tests and progress).
long long file_sha256_computed_count();

}  // namespace pelagos
