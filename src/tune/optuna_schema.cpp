#include "tune/optuna_schema.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "pelagos/error.h"

namespace pelagos::tune::optuna_schema {
namespace {

// The DDL SQLAlchemy emits for Optuna 3.1.0's models, in creation order, with
// the few column types that differ between engines as {fields} (see
// kSqliteTypes / kPostgresTypes). On SQLite the result is verbatim
// sqlite_master.sql of an Optuna-made file; the UNIQUE constraints give
// SQLite's autoindexes; ix_studies_study_name is Optuna's only named index.
const char* const kDdl[] = {
    "CREATE TABLE studies (\n"
    "\tstudy_id {serial} NOT NULL, \n"
    "\tstudy_name VARCHAR(512) NOT NULL, \n"
    "\tPRIMARY KEY (study_id)\n"
    ")",
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    "CREATE TABLE version_info (\n"
    "\tversion_info_id INTEGER NOT NULL, \n"
    "\tschema_version INTEGER, \n"
    "\tlibrary_version VARCHAR(256), \n"
    "\tPRIMARY KEY (version_info_id), \n"
    "\tCHECK (version_info_id=1)\n"
    ")",
    "CREATE TABLE study_directions (\n"
    "\tstudy_direction_id {serial} NOT NULL, \n"
    "\tdirection {direction_type} NOT NULL, \n"
    "\tstudy_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tPRIMARY KEY (study_direction_id), \n"
    "\tUNIQUE (study_id, objective), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_user_attributes (\n"
    "\tstudy_user_attribute_id {serial} NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t{key} VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_user_attribute_id), \n"
    "\tUNIQUE (study_id, {key}), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_system_attributes (\n"
    "\tstudy_system_attribute_id {serial} NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t{key} VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_system_attribute_id), \n"
    "\tUNIQUE (study_id, {key}), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE trials (\n"
    "\ttrial_id {serial} NOT NULL, \n"
    "\tnumber INTEGER, \n"
    "\tstudy_id INTEGER, \n"
    "\tstate {state_type} NOT NULL, \n"
    "\tdatetime_start {datetime}, \n"
    "\tdatetime_complete {datetime}, \n"
    "\tPRIMARY KEY (trial_id), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE trial_user_attributes (\n"
    "\ttrial_user_attribute_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t{key} VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_user_attribute_id), \n"
    "\tUNIQUE (trial_id, {key}), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_system_attributes (\n"
    "\ttrial_system_attribute_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t{key} VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_system_attribute_id), \n"
    "\tUNIQUE (trial_id, {key}), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_params (\n"
    "\tparam_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\tparam_name VARCHAR(512), \n"
    "\tparam_value {float}, \n"
    "\tdistribution_json TEXT, \n"
    "\tPRIMARY KEY (param_id), \n"
    "\tUNIQUE (trial_id, param_name), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_values (\n"
    "\ttrial_value_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tvalue {float}, \n"
    "\tvalue_type {value_type} NOT NULL, \n"
    "\tPRIMARY KEY (trial_value_id), \n"
    "\tUNIQUE (trial_id, objective), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_intermediate_values (\n"
    "\ttrial_intermediate_value_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tstep INTEGER NOT NULL, \n"
    "\tintermediate_value {float}, \n"
    "\tintermediate_value_type {intermediate_type} NOT NULL, \n"
    "\tPRIMARY KEY (trial_intermediate_value_id), \n"
    "\tUNIQUE (trial_id, step), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_heartbeats (\n"
    "\ttrial_heartbeat_id {serial} NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\theartbeat {datetime} NOT NULL, \n"
    "\tPRIMARY KEY (trial_heartbeat_id), \n"
    "\tUNIQUE (trial_id), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")",
};

// SQLAlchemy's types per engine: on PostgreSQL integer keys are SERIAL,
// Python enums become native ENUM types (created first), DateTime is a
// TIMESTAMP WITHOUT TIME ZONE and Float a FLOAT(53); "key" is not quoted there.
struct ColumnTypes {
  const char* serial;
  const char* datetime;
  const char* float_;
  const char* key;
  const char* direction_type;
  const char* state_type;
  const char* value_type;
  const char* intermediate_type;
};
constexpr ColumnTypes kSqliteTypes{"INTEGER",    "DATETIME",   "FLOAT",      "\"key\"",
                                   "VARCHAR(8)", "VARCHAR(8)", "VARCHAR(7)", "VARCHAR(7)"};
constexpr ColumnTypes kPostgresTypes{"SERIAL",         "TIMESTAMP WITHOUT TIME ZONE", "FLOAT(53)",
                                     "key",            "studydirection",              "trialstate",
                                     "trialvaluetype", "trialintermediatevaluetype"};
const char* const kPostgresEnums[] = {
    "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
    "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
    "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
    "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
};

// The table `name` if it exists; with name null, any table.
std::optional<std::string> find_table(sql::Db& db, const char* name) {
  const bool pg = db.dialect() == sql::Dialect::Postgres;
  std::string q = pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                     : "SELECT name FROM sqlite_master WHERE type = 'table'";
  if (name) q += pg ? " AND table_name = ?" : " AND name = ?";
  sql::Stmt s(db, q + " LIMIT 1");
  if (name) s.bind(1, std::string(name));
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

bool table_exists(sql::Db& db, const char* name) { return find_table(db, name).has_value(); }

std::string upgrade_advice() {
  return fmt::format(
      "pelagos reads and writes Optuna's schema revision {} (schema_version {}), used by {}. An older "
      "Optuna storage can be upgraded in place with `optuna storage upgrade --storage URL` "
      "(back it up first); a storage from a newer Optuna needs a pelagos release that supports it.",
      kAlembicRevision, kSchemaVersion, kSupportedOptuna);
}

void check_existing(sql::Db& db) {
  std::string revision = "(none: created before Optuna used alembic)";
  if (table_exists(db, "alembic_version")) {
    sql::Stmt q(db, "SELECT version_num FROM alembic_version");
    revision = q.step() ? q.text(0) : "(empty alembic_version table)";
  }
  std::string library = "unknown";
  if (table_exists(db, "version_info")) {
    sql::Stmt q(db, "SELECT library_version FROM version_info");
    if (q.step() && !q.is_null(0)) library = q.text(0);
  }
  if (revision != kAlembicRevision)
    throw Error(fmt::format("{} holds an Optuna storage at schema revision {} (written by optuna {}), which "
                            "this pelagos does not support. {}",
                            db.label(), revision, library, upgrade_advice()));
}

void create(sql::Db& db) {
  const bool pg = db.dialect() == sql::Dialect::Postgres;
  if (auto other = find_table(db, nullptr))
    throw Error(fmt::format("{} is a database but not an Optuna/pelagos study storage (it has a table '{}' and no "
                            "'studies'). Use {} for --storage.",
                            db.label(), *other, pg ? "an empty database (or schema)" : "a new file name"));
  const ColumnTypes& t = pg ? kPostgresTypes : kSqliteTypes;
  if (pg)
    for (const char* ddl : kPostgresEnums) db.exec(ddl);
  for (const char* ddl : kDdl) {
    const std::string text =
        fmt::format(fmt::runtime(ddl), fmt::arg("serial", t.serial), fmt::arg("datetime", t.datetime),
                    fmt::arg("float", t.float_), fmt::arg("key", t.key), fmt::arg("direction_type", t.direction_type),
                    fmt::arg("state_type", t.state_type), fmt::arg("value_type", t.value_type),
                    fmt::arg("intermediate_type", t.intermediate_type));
    db.exec(text.c_str());
  }
  sql::Stmt vi(db, "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)");
  vi.bind(1, kSchemaVersion).bind(2, std::string(kLibraryVersion)).run();
  sql::Stmt av(db, "INSERT INTO alembic_version (version_num) VALUES (?)");
  av.bind(1, std::string(kAlembicRevision)).run();
}

bool is_optuna_storage(sql::Db& db) { return table_exists(db, "studies") || table_exists(db, "alembic_version"); }

}  // namespace

void ensure(sql::Db& db) {
  // The common case (an existing storage) needs no write lock.
  if (is_optuna_storage(db)) return check_existing(db);
  sql::Transaction tx(db, sql::Transaction::Mode::Write);
  // PostgreSQL has no table to lock yet: a transaction-scoped advisory lock
  // (any fixed key) makes concurrent creators wait for the first.
  if (db.dialect() == sql::Dialect::Postgres) sql::Stmt(db, "SELECT pg_advisory_xact_lock(7311460)").run();
  // Another process may have created the tables while we waited for the lock.
  if (is_optuna_storage(db)) return check_existing(db);
  create(db);
  tx.commit();
}

}  // namespace pelagos::tune::optuna_schema
