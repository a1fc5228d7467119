// The PostgreSQL engine of sql::Db, on libpq. Connection settings come from
// the URL and libpq's usual sources (PGPASSFILE / ~/.pgpass, PGPASSWORD,
// PGHOST...), so a password need not appear on a command line. Messages name
// the database by its URL with the password replaced by "***".
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "tune/sql_db.h"

namespace pelagos::tune::sql {

struct PgTarget {
  std::string conninfo;  // what libpq gets (a postgresql:// URI)
  std::string label;     // the same without its password, for messages
};

// "postgresql://user[:password]@host[:port]/db[?options]", also "postgres://"
// and SQLAlchemy's "postgresql+psycopg2://" (the driver part is dropped).
// nullopt when `url` is not a PostgreSQL URL.
std::optional<PgTarget> postgres_target_from_url(const std::string& url);
// `url` with any password (user:PASSWORD@ or password=PASSWORD) replaced by ***.
std::string redact_url(const std::string& url);
// SQLite's placeholders (? numbered left to right, ?N explicit) as $N.
std::string dollar_placeholders(const char* sql);

// How long a worker keeps retrying an unreachable or restarting server before
// it gives up: PELAGOS_DB_RETRY_SECONDS, default 60.
double db_retry_seconds();

// Connects, retrying with backoff while the server does not answer (a worker
// started before the database, a server restarting); fails at once when the
// server answers but refuses (wrong password, no such database).
std::unique_ptr<Db> open_postgres(const PgTarget& target, double retry_seconds);

}  // namespace pelagos::tune::sql
