#include "tune/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include "pelagos/error.h"

namespace pelagos::tune::sql {

Db::Db(const std::string& path, int busy_timeout_ms) : path_(path), busy_timeout_ms_(busy_timeout_ms) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(fmt::format("cannot open the SQLite study database {}: {}. Check that the folder exists and is "
                            "writable by you.",
                            path, msg));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::fail(int rc, const std::string& what) const {
  const std::string detail = sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(fmt::format("the SQLite study database {} is still locked by another process after waiting "
                              "{:.0f} s ({}). Another pelagos or Optuna process is holding a long write; retry "
                              "when it has finished, or check for a hung process using this file.",
                              path_, busy_timeout_ms_ / 1000.0, what));
    case SQLITE_READONLY:
      throw Error(fmt::format("the SQLite study database {} is read-only ({}: {}). pelagos needs write access to "
                              "the file and to its folder (SQLite writes -wal and -shm files beside it).",
                              path_, what, detail));
    case SQLITE_NOTADB:
      throw Error(fmt::format("{} is not an SQLite database ({}). Point --storage at an Optuna/pelagos SQLite "
                              "file or at a new file name.",
                              path_, what));
    case SQLITE_CORRUPT:
      throw Error(fmt::format("the SQLite study database {} is corrupt ({}: {}). Restore it from a backup.", path_,
                              what, detail));
    case SQLITE_FULL:
      throw Error(fmt::format("no space left to write the SQLite study database {} ({}).", path_, what));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      throw Error(fmt::format("cannot read or write the SQLite study database {} ({}: {}). Check that the "
                              "folder exists and is writable.",
                              path_, what, detail));
    default:
      throw Error(fmt::format("SQLite error on {} while {}: {} (code {})", path_, what, detail, rc));
  }
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, fmt::format("running `{}`", sql));
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

Stmt::Stmt(Db& db, const char* sql) : db_(db), sql_(sql) {
  int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) db_.fail(rc, fmt::format("preparing `{}`", sql_));
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

#define PELAGOS_SQL_BIND(call)                                        \
  do {                                                                \
    int rc_ = (call);                                                 \
    if (rc_ != SQLITE_OK) db_.fail(rc_, fmt::format("binding `{}`", sql_)); \
  } while (0)

Stmt& Stmt::bind(int i, int64_t v) {
  PELAGOS_SQL_BIND(sqlite3_bind_int64(stmt_, i, v));
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  PELAGOS_SQL_BIND(sqlite3_bind_double(stmt_, i, v));
  return *this;
}
Stmt& Stmt::bind(int i, const std::string& v) {
  PELAGOS_SQL_BIND(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}
Stmt& Stmt::bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind_null(i); }
Stmt& Stmt::bind_null(int i) {
  PELAGOS_SQL_BIND(sqlite3_bind_null(stmt_, i));
  return *this;
}
#undef PELAGOS_SQL_BIND

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(rc, fmt::format("running `{}`", sql_));
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
int64_t Stmt::i64(int c) const { return sqlite3_column_int64(stmt_, c); }
double Stmt::f64(int c) const { return sqlite3_column_double(stmt_, c); }
std::optional<double> Stmt::opt_f64(int c) const {
  if (is_null(c)) return std::nullopt;
  return f64(c);
}
std::string Stmt::text(int c) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))) : std::string();
}

Transaction::Transaction(Db& db, Mode mode) : db_(db) {
  // Nested in an outer transaction: that one's snapshot and commit apply.
  if (!sqlite3_get_autocommit(db_.handle())) return;
  db_.exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = true;
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  if (!open_) return;
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace pelagos::tune::sql
