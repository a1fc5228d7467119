// Optuna's relational storage over either SQL engine (storage_rdb.cpp).
#pragma once
#include <memory>

#include "pelagos/tune/storage.h"
#include "tune/sql_db.h"

namespace pelagos::tune {

// Creates Optuna's tables in an empty database, or checks the schema revision.
std::unique_ptr<Storage> make_rdb_storage(std::unique_ptr<sql::Db> db);

// Wraps `inner` so that an operation that threw sql::ConnectionLost runs
// again after db.reconnect() (which gives up with a pelagos::Error). Every
// Storage operation is one transaction, so running it again is safe, except a
// commit whose acknowledgement was lost: then it may be applied twice.
std::unique_ptr<Storage> make_retrying_storage(std::unique_ptr<Storage> inner, sql::Db& db);

}  // namespace pelagos::tune
