// A small RAII layer over the SQLite C API: a connection, prepared statements
// and write transactions. Every failure becomes a pelagos::Error that names the
// database file, because the user chose that file (a lock held too long, a
// read-only folder, a file that is not a database).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace pelagos::tune::sql {

class Db {
 public:
  // Opens (creating if missing) `path`; ":memory:" is a private in-memory
  // database. Waits up to busy_timeout_ms for locks held by other processes.
  Db(const std::string& path, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // Throws pelagos::Error describing `rc` for this database; `what` says what was being done.
  [[noreturn]] void fail(int rc, const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  int busy_timeout_ms_;
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQL.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, const std::string& v);
  Stmt& bind(int i, const std::optional<double>& v);
  Stmt& bind_null(int i);

  bool step();  // true while a row is available
  void run();   // steps a statement that returns no rows
  void reset();

  // Columns are 0-based, as in the C API.
  bool is_null(int c) const;
  int64_t i64(int c) const;
  double f64(int c) const;
  std::optional<double> opt_f64(int c) const;
  std::string text(int c) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE (write) or BEGIN (read snapshot) ... COMMIT; rolls back if
// destroyed before commit(). IMMEDIATE takes the write lock up front, so two
// processes never interleave a read-then-write (e.g. counting trials to assign
// the next number). Inside another transaction it does nothing (only reads nest).
class Transaction {
 public:
  enum class Mode { Read, Write };
  Transaction(Db& db, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace pelagos::tune::sql
