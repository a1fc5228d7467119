// Optuna's relational storage on a PostgreSQL server, shared by workers on
// many machines (and by Python Optuna workers): see docs/tuning.md.
#include <fmt/format.h>

#include "tune/pg_db.h"
#include "tune/storage_rdb.h"

namespace pelagos::tune {

std::unique_ptr<Storage> make_postgres_storage(const std::string& url) {
  const auto target = sql::postgres_target_from_url(url);
  if (!target)
    throw Error(fmt::format("'{}' is not a PostgreSQL URL; expected postgresql://user@host:port/database",
                            sql::redact_url(url)));
  auto db = sql::open_postgres(*target, sql::db_retry_seconds());
  sql::Db& conn = *db;
  // Schema creation runs once here; a connection lost during it is an error.
  auto rdb = make_rdb_storage(std::move(db));
  return make_retrying_storage(std::move(rdb), conn);
}

}  // namespace pelagos::tune
