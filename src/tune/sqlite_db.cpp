#include "tune/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace pelagos::tune::sql {
namespace {

class SqliteDb final : public Db {
 public:
  SqliteDb(const std::string& path, int busy_timeout_ms) : path_(path), busy_timeout_ms_(busy_timeout_ms) {
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
  ~SqliteDb() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::Sqlite; }
  const std::string& label() const override { return path_; }
  sqlite3* handle() { return db_; }

  [[noreturn]] void fail(int rc, const std::string& what) const {
    const std::string detail = sqlite3_errmsg(db_);
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        throw Error(fmt::format("the SQLite study database {} is still locked by another process after waiting "
                                "{:.0f} s ({}). Another pelagos or Optuna process is holding a long write; retry "
                                "when it has finished, or check for a hung process using this file.",
                                path_, busy_timeout_ms_ / 1000.0, what));
      case SQLITE_READONLY:
        throw Error(fmt::format("the SQLite study database {} is read-only ({}: {}). pelagos needs write access "
                                "to the file and to its folder (SQLite writes -wal and -shm files beside it).",
                                path_, what, detail));
      case SQLITE_NOTADB:
        throw Error(fmt::format("{} is not an SQLite database ({}). Point --storage at an Optuna/pelagos SQLite "
                                "file or at a new file name.",
                                path_, what));
      case SQLITE_CORRUPT:
        throw Error(fmt::format("the SQLite study database {} is corrupt ({}: {}). Restore it from a backup.",
                                path_, what, detail));
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

  void exec(const char* sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) fail(rc, fmt::format("running `{}`", sql));
  }

  std::unique_ptr<StmtImpl> prepare(const char* sql) override;

  bool begin(Mode mode) override {
    // Nested in an outer transaction: that one's snapshot and commit apply.
    if (!sqlite3_get_autocommit(db_)) return false;
    exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    return true;
  }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  int busy_timeout_ms_;
};

class SqliteStmt final : public StmtImpl {
 public:
  SqliteStmt(SqliteDb& db, const char* sql) : db_(db), sql_(sql) {
    int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) db_.fail(rc, fmt::format("preparing `{}`", sql_));
  }
  ~SqliteStmt() override { sqlite3_finalize(stmt_); }

  void bind_i64(int i, int64_t v) override { check_bind(sqlite3_bind_int64(stmt_, i, v)); }
  void bind_f64(int i, double v) override { check_bind(sqlite3_bind_double(stmt_, i, v)); }
  void bind_text(int i, const std::string& v) override {
    check_bind(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void bind_null(int i) override { check_bind(sqlite3_bind_null(stmt_, i)); }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail(rc, fmt::format("running `{}`", sql_));
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  bool is_null(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t i64(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double f64(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string text(int c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))) : std::string();
  }

 private:
  void check_bind(int rc) {
    if (rc != SQLITE_OK) db_.fail(rc, fmt::format("binding `{}`", sql_));
  }
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

std::unique_ptr<StmtImpl> SqliteDb::prepare(const char* sql) { return std::make_unique<SqliteStmt>(*this, sql); }

}  // namespace

std::unique_ptr<Db> open_sqlite(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteDb>(path, busy_timeout_ms);
}

sqlite3* sqlite_handle(Db& db) { return static_cast<SqliteDb&>(db).handle(); }

void sqlite_fail(Db& db, int rc, const std::string& what) { static_cast<SqliteDb&>(db).fail(rc, what); }

}  // namespace pelagos::tune::sql
