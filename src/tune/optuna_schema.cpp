#include "tune/optuna_schema.h"

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos::tune::optuna_schema {
namespace {

// sqlite_master.sql of a storage created by Optuna 3.1.0, in creation order.
// The UNIQUE constraints give SQLite's autoindexes; ix_studies_study_name is
// Optuna's only named index.
const char* const kDdl[] = {
    "CREATE TABLE studies (\n"
    "\tstudy_id INTEGER NOT NULL, \n"
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
    "\tstudy_direction_id INTEGER NOT NULL, \n"
    "\tdirection VARCHAR(8) NOT NULL, \n"
    "\tstudy_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tPRIMARY KEY (study_direction_id), \n"
    "\tUNIQUE (study_id, objective), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_user_attributes (\n"
    "\tstudy_user_attribute_id INTEGER NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_user_attribute_id), \n"
    "\tUNIQUE (study_id, \"key\"), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_system_attributes (\n"
    "\tstudy_system_attribute_id INTEGER NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_system_attribute_id), \n"
    "\tUNIQUE (study_id, \"key\"), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE trials (\n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tnumber INTEGER, \n"
    "\tstudy_id INTEGER, \n"
    "\tstate VARCHAR(8) NOT NULL, \n"
    "\tdatetime_start DATETIME, \n"
    "\tdatetime_complete DATETIME, \n"
    "\tPRIMARY KEY (trial_id), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE trial_user_attributes (\n"
    "\ttrial_user_attribute_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_user_attribute_id), \n"
    "\tUNIQUE (trial_id, \"key\"), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_system_attributes (\n"
    "\ttrial_system_attribute_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_system_attribute_id), \n"
    "\tUNIQUE (trial_id, \"key\"), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_params (\n"
    "\tparam_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\tparam_name VARCHAR(512), \n"
    "\tparam_value FLOAT, \n"
    "\tdistribution_json TEXT, \n"
    "\tPRIMARY KEY (param_id), \n"
    "\tUNIQUE (trial_id, param_name), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_values (\n"
    "\ttrial_value_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tvalue FLOAT, \n"
    "\tvalue_type VARCHAR(7) NOT NULL, \n"
    "\tPRIMARY KEY (trial_value_id), \n"
    "\tUNIQUE (trial_id, objective), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_intermediate_values (\n"
    "\ttrial_intermediate_value_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tstep INTEGER NOT NULL, \n"
    "\tintermediate_value FLOAT, \n"
    "\tintermediate_value_type VARCHAR(7) NOT NULL, \n"
    "\tPRIMARY KEY (trial_intermediate_value_id), \n"
    "\tUNIQUE (trial_id, step), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_heartbeats (\n"
    "\ttrial_heartbeat_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\theartbeat DATETIME NOT NULL, \n"
    "\tPRIMARY KEY (trial_heartbeat_id), \n"
    "\tUNIQUE (trial_id), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")",
};

bool table_exists(sql::Db& db, const char* name) {
  sql::Stmt q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, std::string(name));
  return q.step();
}

std::string upgrade_advice() {
  return fmt::format(
      "pelagos reads and writes Optuna's schema revision {} (schema_version {}), used by {}. An older "
      "Optuna storage can be upgraded in place with `optuna storage upgrade --storage sqlite:///FILE` "
      "(back the file up first); a storage from a newer Optuna needs a pelagos release that supports it.",
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
                            db.path(), revision, library, upgrade_advice()));
}

void create(sql::Db& db) {
  sql::Stmt any(db, "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1");
  if (any.step())
    throw Error(fmt::format("{} is an SQLite database but not an Optuna/pelagos study storage (it has a table "
                            "'{}' and no 'studies'). Use a new file name for --storage.",
                            db.path(), any.text(0)));
  for (const char* ddl : kDdl) db.exec(ddl);
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
  // Another process may have created the tables while we waited for the lock.
  if (is_optuna_storage(db)) return check_existing(db);
  create(db);
  tx.commit();
}

}  // namespace pelagos::tune::optuna_schema
