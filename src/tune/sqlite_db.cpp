#include "tune/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <unordered_map>
#include <vector>

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
  ~SqliteDb() override {
    for (auto& [sql, stmts] : idle_)
      for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

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
    run(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    return true;
  }
  void commit() override { run("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

  // A one-shot study command runs the same few statements dozens of times;
  // reusing their compiled form saves most of the time SQLite spends parsing.
  sqlite3_stmt* acquire(const std::string& sql) {
    auto it = idle_.find(sql);
    if (it != idle_.end() && !it->second.empty()) {
      sqlite3_stmt* stmt = it->second.back();
      it->second.pop_back();
      return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      fail(rc, fmt::format("preparing `{}`", sql));
    }
    return stmt;
  }
  // Takes back a statement from acquire(), reset and unbound. Statements
  // whose text varies (lists of ids) would grow the cache without end in a
  // long-lived process: past kMaxCachedTexts distinct texts, new ones are
  // finalized instead.
  void release(const std::string& sql, sqlite3_stmt* stmt) noexcept {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    try {
      auto it = idle_.find(sql);
      if (it == idle_.end()) {
        if (idle_.size() >= kMaxCachedTexts) {
          sqlite3_finalize(stmt);
          return;
        }
        it = idle_.emplace(sql, std::vector<sqlite3_stmt*>()).first;
      }
      it->second.push_back(stmt);
    } catch (...) {
      sqlite3_finalize(stmt);
    }
  }

 private:
  void run(const std::string& sql);

  static constexpr size_t kMaxCachedTexts = 100;

  sqlite3* db_ = nullptr;
  // Prepared statements not in use, by their SQL text.
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  std::string path_;
  int busy_timeout_ms_;
};

class SqliteStmt final : public StmtImpl {
 public:
  SqliteStmt(SqliteDb& db, const char* sql) : db_(db), sql_(sql), stmt_(db.acquire(sql_)) {}
  ~SqliteStmt() override { db_.release(sql_, stmt_); }

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
  std::string sql_;
  sqlite3_stmt* stmt_;
};

std::unique_ptr<StmtImpl> SqliteDb::prepare(const char* sql) { return std::make_unique<SqliteStmt>(*this, sql); }

void SqliteDb::run(const std::string& sql) {
  SqliteStmt stmt(*this, sql.c_str());
  while (stmt.step()) {
  }
}

}  // namespace

std::unique_ptr<Db> open_sqlite(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteDb>(path, busy_timeout_ms);
}

sqlite3* sqlite_handle(Db& db) { return static_cast<SqliteDb&>(db).handle(); }

void sqlite_fail(Db& db, int rc, const std::string& what) { static_cast<SqliteDb&>(db).fail(rc, what); }

}  // namespace pelagos::tune::sql
