// Optuna 3.1's relational schema (optuna/storages/_rdb/models.py at alembic
// revision v3.0.0.d, SCHEMA_VERSION 12), verbatim as SQLAlchemy creates it on
// SQLite and PostgreSQL, so a database written by pelagos is indistinguishable
// from Optuna's.
#pragma once
#include "tune/sql_db.h"

namespace pelagos::tune::optuna_schema {

inline constexpr const char* kAlembicRevision = "v3.0.0.d";
inline constexpr int kSchemaVersion = 12;
inline constexpr const char* kLibraryVersion = "3.1.0";  // what Optuna 3.1 writes to version_info
inline constexpr const char* kSupportedOptuna = "Optuna 3.0.x and 3.1.x";

// Creates the tables in an empty database, or checks that an existing one is
// an Optuna storage at the supported revision (pelagos::Error otherwise, saying
// which versions are supported and how to upgrade). Safe against several
// processes opening a new file at once.
void ensure(sql::Db& db);

}  // namespace pelagos::tune::optuna_schema
