// sha256 of an audio file's bytes, the content half of a feature-cache key.
// Hashing reads the whole file, so results are remembered for the life of the
// process, keyed by the file's identity and stat signature (device, inode,
// size, modification time): a file read again (train then evaluate, trial
// after trial) is hashed once, and a file changed in between is hashed again.
#pragma once
#include <string>

namespace pelagos {

// Throws pelagos::Error naming the file when it cannot be read. Thread-safe.
std::string file_sha256_cached(const std::string& path);

// How many files file_sha256_cached actually hashed in this process (for tests and progress).
long long file_sha256_computed_count();

}  // namespace pelagos
