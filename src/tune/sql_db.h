// The relational layer under Optuna's schema: a connection, statements and
// transactions, with two engines behind it (sqlite_db.cpp, pg_db.cpp). The
// storage and schema code is written once against this interface; what
// differs between the engines is asked of the Db (dialect(), for_update()).
// SQL text uses SQLite's placeholders (? and ?N); the PostgreSQL engine
// rewrites them to $N. Every failure is a pelagos::Error naming the database
// (a redacted URL for PostgreSQL, never a password).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pelagos/error.h"

namespace pelagos::tune::sql {

enum class Dialect { Sqlite, Postgres };

// The connection to the server broke (or the server is restarting). The
// storage reconnects and runs the whole operation again; see Db::reconnect.
class ConnectionLost : public Error {
 public:
  using Error::Error;
};

class StmtImpl {
 public:
  virtual ~StmtImpl() = default;
  virtual void bind_i64(int i, int64_t v) = 0;
  virtual void bind_f64(int i, double v) = 0;
  virtual void bind_text(int i, const std::string& v) = 0;
  virtual void bind_null(int i) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  virtual bool is_null(int c) const = 0;
  virtual int64_t i64(int c) const = 0;
  virtual double f64(int c) const = 0;
  virtual std::string text(int c) const = 0;
};

class Db {
 public:
  enum class Mode { Read, Write };
  virtual ~Db() = default;
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  virtual Dialect dialect() const = 0;
  // What error messages call the database: a file path, or a URL without its password.
  virtual const std::string& label() const = 0;
  virtual void exec(const char* sql) = 0;
  virtual std::unique_ptr<StmtImpl> prepare(const char* sql) = 0;
  // Starts a transaction unless one is open (then returns false: only the
  // outermost one begins and commits).
  virtual bool begin(Mode mode) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // After a ConnectionLost: reconnects, retrying with backoff; throws a
  // pelagos::Error saying the database is unreachable when it gives up.
  virtual void reconnect() {}

  // " FOR UPDATE" where row locks exist (PostgreSQL); SQLite's write
  // transaction already excludes every other writer.
  const char* for_update() const { return dialect() == Dialect::Postgres ? " FOR UPDATE" : ""; }
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql) : impl_(db.prepare(sql)) {}
  Stmt(Db& db, const std::string& sql) : Stmt(db, sql.c_str()) {}

  // Parameters are 1-based, as in SQL.
  Stmt& bind(int i, int64_t v) { return impl_->bind_i64(i, v), *this; }
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v) { return impl_->bind_f64(i, v), *this; }
  Stmt& bind(int i, const std::string& v) { return impl_->bind_text(i, v), *this; }
  Stmt& bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind_null(i); }
  Stmt& bind_null(int i) { return impl_->bind_null(i), *this; }

  bool step() { return impl_->step(); }  // true while a row is available
  void run() {                           // steps a statement that returns no rows
    while (step()) {
    }
  }
  void reset() { impl_->reset(); }

  // Columns are 0-based, as in the C APIs.
  bool is_null(int c) const { return impl_->is_null(c); }
  int64_t i64(int c) const { return impl_->i64(c); }
  double f64(int c) const { return impl_->f64(c); }
  std::optional<double> opt_f64(int c) const {
    if (is_null(c)) return std::nullopt;
    return f64(c);
  }
  std::string text(int c) const { return impl_->text(c); }

 private:
  std::unique_ptr<StmtImpl> impl_;
};

// A write transaction excludes other writers for its read-then-write steps
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: READ COMMITTED plus the row locks the
// storage takes); a read one sees one snapshot. Rolls back if destroyed
// before commit(). Inside another transaction it does nothing.
class Transaction {
 public:
  using Mode = Db::Mode;
  Transaction(Db& db, Mode mode) : db_(db), open_(db.begin(mode)) {}
  ~Transaction() {
    if (open_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    if (!open_) return;
    db_.commit();
    open_ = false;
  }

 private:
  Db& db_;
  bool open_;
};

}  // namespace pelagos::tune::sql
