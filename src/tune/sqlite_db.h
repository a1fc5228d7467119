// The SQLite engine of sql::Db. Failures name the database file, because the
// user chose that file (a lock held too long, a read-only folder, a file that
// is not a database).
#pragma once
#include <memory>
#include <string>

#include "tune/sql_db.h"

struct sqlite3;

namespace pelagos::tune::sql {

// Opens (creating if missing) `path`; ":memory:" is a private in-memory
// database. Waits up to busy_timeout_ms for locks held by other processes.
// Write transactions are BEGIN IMMEDIATE: they take the write lock up front,
// so two processes never interleave a read-then-write (e.g. counting trials
// to assign the next number).
std::unique_ptr<Db> open_sqlite(const std::string& path, int busy_timeout_ms);

// The raw handle of a Db from open_sqlite (for PRAGMAs that need the C API).
sqlite3* sqlite_handle(Db& db);
// Throws the pelagos::Error describing SQLite result `rc` on `db`.
[[noreturn]] void sqlite_fail(Db& db, int rc, const std::string& what);

}  // namespace pelagos::tune::sql
