// The libpq engine of sql::Db. Built into libpelagos_postgres.so, which
// libpelagos_core opens on the first postgresql:// URL (tune/pg_db.cpp), so
// programs that never use PostgreSQL do not load libpq and its TLS, Kerberos
// and LDAP libraries.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "tune/pg_db.h"

namespace pelagos::tune::sql {

namespace {

using Seconds = std::chrono::duration<double>;

// SQLSTATE classes after which running the operation again can succeed.
bool transient(const char* sqlstate) {
  if (!sqlstate) return false;
  return std::strncmp(sqlstate, "08", 2) == 0 ||                                          // connection exception
         std::strcmp(sqlstate, "57P01") == 0 || std::strcmp(sqlstate, "57P02") == 0 ||  // admin/crash shutdown
         std::strcmp(sqlstate, "57P03") == 0 ||                                          // cannot connect now
         std::strcmp(sqlstate, "40001") == 0 || std::strcmp(sqlstate, "40P01") == 0;    // serialization, deadlock
}

std::string trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PgDb final : public Db {
 public:
  PgDb(PgTarget target, double retry_seconds) : target_(std::move(target)), retry_seconds_(retry_seconds) {
    connect_with_backoff("connecting");
  }
  ~PgDb() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::Postgres; }
  const std::string& label() const override { return target_.label; }

  void exec(const char* sql) override { PQclear(run(sql, {}, sql)); }
  std::unique_ptr<StmtImpl> prepare(const char* sql) override;

  bool begin(Mode mode) override {
    if (in_tx_) return false;
    // Writes run at READ COMMITTED with explicit row locks, as Optuna's own
    // RDB storage does (see RdbStorage); reads see one snapshot.
    exec(mode == Mode::Write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    in_tx_ = true;
    return true;
  }
  void commit() override {
    in_tx_ = false;  // a failed COMMIT ends the transaction too
    exec("COMMIT");
  }
  void rollback() noexcept override {
    if (!in_tx_) return;
    in_tx_ = false;
    if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  void reconnect() override {
    in_tx_ = false;
    if (PQstatus(conn_) == CONNECTION_OK) {  // a deadlock or serialization failure: just run again
      PQclear(PQexec(conn_, "ROLLBACK"));
      return;
    }
    connect_with_backoff("reconnecting");
  }

  // Runs `sql` with text parameters; throws ConnectionLost or Error.
  PGresult* run(const char* sql, const std::vector<std::optional<std::string>>& params, const std::string& shown) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* res = PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                 nullptr, 0);
    const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string msg = trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    const std::string code = state ? state : "";
    PQclear(res);
    if (PQstatus(conn_) != CONNECTION_OK || transient(state))
      throw ConnectionLost(fmt::format("the PostgreSQL study database {} failed while running `{}`: {}",
                                       target_.label, shown, msg));
    throw Error(fmt::format("PostgreSQL error on {} while running `{}`: {}{}", target_.label, shown, msg,
                            code.empty() ? "" : " (SQLSTATE " + code + ")"));
  }

 private:
  void connect_with_backoff(const char* doing) {
    const auto start = std::chrono::steady_clock::now();
    double wait = 0.1;
    int refusals = 0;
    std::string last;
    while (true) {
      PQfinish(conn_);
      conn_ = PQconnectdb(target_.conninfo.c_str());
      if (PQstatus(conn_) == CONNECTION_OK) return;
      last = trimmed(PQerrorMessage(conn_));
      // A server that accepts connections (PQping) yet refused ours twice in
      // a row refused for good (password, database): waiting will not help.
      // Once is not enough: it may have finished starting up in between.
      refusals = PQping(target_.conninfo.c_str()) == PQPING_OK ? refusals + 1 : 0;
      const bool refused = refusals >= 2;
      const double elapsed = Seconds(std::chrono::steady_clock::now() - start).count();
      if (refused || elapsed + wait > retry_seconds_) {
        PQfinish(conn_);
        conn_ = nullptr;
        throw Error(fmt::format(
            "cannot reach the PostgreSQL study database {} ({}{}): {}. Check that the server runs and accepts "
            "connections from this machine, and the user, database and password (URL, PGPASSFILE or PGPASSWORD); "
            "PELAGOS_DB_RETRY_SECONDS sets how long to wait for a restarting server.",
            target_.label, doing, refused ? "" : fmt::format(", gave up after {:.0f} s", elapsed), last));
      }
      std::this_thread::sleep_for(Seconds(refusals ? 0.05 : wait));
      if (!refusals) wait = std::min(wait * 2, 5.0);
    }
  }

  PgTarget target_;
  double retry_seconds_;
  PGconn* conn_ = nullptr;
  bool in_tx_ = false;
};

class PgStmt final : public StmtImpl {
 public:
  PgStmt(PgDb& db, const char* sql) : db_(db), shown_(sql), sql_(dollar_placeholders(sql)) {}
  ~PgStmt() override { PQclear(res_); }

  void bind_i64(int i, int64_t v) override { slot(i) = std::to_string(v); }
  void bind_f64(int i, double v) override {
    slot(i) = std::isnan(v) ? "NaN" : std::isinf(v) ? (v > 0 ? "Infinity" : "-Infinity") : fmt::format("{}", v);
  }
  void bind_text(int i, const std::string& v) override { slot(i) = v; }
  void bind_null(int i) override { slot(i) = std::nullopt; }

  bool step() override {
    if (!res_) {
      res_ = db_.run(sql_.c_str(), params_, shown_);
      row_ = -1;
    }
    return ++row_ < PQntuples(res_);
  }
  void reset() override {
    PQclear(res_);
    res_ = nullptr;
    params_.clear();
  }

  bool is_null(int c) const override { return PQgetisnull(res_, row_, c); }
  int64_t i64(int c) const override { return std::strtoll(PQgetvalue(res_, row_, c), nullptr, 10); }
  double f64(int c) const override { return std::strtod(PQgetvalue(res_, row_, c), nullptr); }
  std::string text(int c) const override {
    return std::string(PQgetvalue(res_, row_, c), static_cast<size_t>(PQgetlength(res_, row_, c)));
  }

 private:
  std::optional<std::string>& slot(int i) {
    if (params_.size() < static_cast<size_t>(i)) params_.resize(static_cast<size_t>(i));
    return params_[static_cast<size_t>(i - 1)];
  }
  PgDb& db_;
  std::string shown_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  PGresult* res_ = nullptr;
  int row_ = -1;
};

std::unique_ptr<StmtImpl> PgDb::prepare(const char* sql) { return std::make_unique<PgStmt>(*this, sql); }

}  // namespace

}  // namespace pelagos::tune::sql

// The entry point tune/pg_db.cpp looks up; the caller owns the result.
extern "C" __attribute__((visibility("default"))) pelagos::tune::sql::Db* pelagos_open_postgres(
    const pelagos::tune::sql::PgTarget* target, double retry_seconds) {
  return new pelagos::tune::sql::PgDb(*target, retry_seconds);
}
