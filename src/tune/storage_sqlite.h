// The SQLite storage's knobs that the public make_sqlite_storage(path) fixes.
#pragma once
#include <memory>
#include <string>

#include "pelagos/tune/storage.h"

namespace pelagos::tune {

// How long a call waits for another process's write lock before it gives up
// with a pelagos::Error naming the file.
inline constexpr int kSqliteBusyTimeoutMs = 30000;
// kSqliteBusyTimeoutMs, or $PELAGOS_SQLITE_TIMEOUT_S (seconds) when set: a
// shared machine where long locks are normal may wait longer.
int sqlite_busy_timeout_ms();

std::unique_ptr<Storage> make_sqlite_storage(const std::string& path, int busy_timeout_ms);

}  // namespace pelagos::tune
