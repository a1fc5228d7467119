// The SQLite side of Optuna's relational storage: checks on the file's
// location, WAL + synchronous=NORMAL (readers never block the writer, and a
// commit survives a killed process without an fsync per call).
#include "tune/storage_sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <cstdlib>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "pelagos/error.h"
#include "tune/sqlite_db.h"
#include "tune/storage_rdb.h"

namespace pelagos::tune {
namespace {

namespace fs = std::filesystem;

void check_location(const std::string& path) {
  if (path == ":memory:") return;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(fmt::format("the folder {} for the study database {} does not exist; create it first or choose "
                            "another --storage path",
                            dir.string(), path));
  if (fs::exists(p, ec) && fs::is_directory(p, ec))
    throw Error(fmt::format("the study database path {} is a folder; give a file name such as {}/study.db", path,
                            path));
  // SQLite writes its -wal and -shm files beside the database, so the folder
  // must be writable even when the file exists.
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(fmt::format("the folder {} of the study database {} is not writable; pelagos needs to create the "
                            "file and SQLite's -wal/-shm files there. Choose a writable location.",
                            dir.string(), path));
  if (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0)
    throw Error(fmt::format("the study database {} is read-only; pelagos needs write access to it", path));
}

// Switching a new file to WAL needs a moment when no other connection is in
// it, and SQLite does not run the busy handler for that: two processes
// opening a fresh study file at once would fail. Retry until the timeout.
void enable_wal(sql::Db& db, int timeout_ms) {
  for (int waited_ms = 0;; waited_ms += 10) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(sql::sqlite_handle(db), "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE) return;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || waited_ms >= timeout_ms)
      sql::sqlite_fail(db, rc, "running `PRAGMA journal_mode=WAL`");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::unique_ptr<Storage> make_sqlite_storage(const std::string& path, int busy_timeout_ms) {
  check_location(path);
  auto db = sql::open_sqlite(path, busy_timeout_ms);
  std::string current;
  {
    sql::Stmt mode(*db, "PRAGMA journal_mode");
    if (mode.step()) current = mode.text(0);
  }  // finalized here: journal_mode cannot change while a statement is open
  if (current != "wal" && current != "memory") enable_wal(*db, busy_timeout_ms);
  db->exec("PRAGMA synchronous=NORMAL");
  return make_rdb_storage(std::move(db));
}

std::unique_ptr<Storage> make_sqlite_storage(const std::string& path) {
  return make_sqlite_storage(path, sqlite_busy_timeout_ms());
}

int sqlite_busy_timeout_ms() {
  const char* env = std::getenv("PELAGOS_SQLITE_TIMEOUT_S");
  if (!env || !*env) return kSqliteBusyTimeoutMs;
  char* end = nullptr;
  const double seconds = std::strtod(env, &end);
  if (*end != '\0' || !(seconds >= 0) || seconds > 86400)
    throw Error(fmt::format("PELAGOS_SQLITE_TIMEOUT_S='{}': expected seconds between 0 and 86400.", env));
  return static_cast<int>(seconds * 1000);
}

}  // namespace pelagos::tune
