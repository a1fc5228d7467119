// Where studies live: the same operations as optuna.storages.BaseStorage.
// Implementations: in-memory (storage_memory.cpp), and SQLite or PostgreSQL
// with Optuna's relational schema (storage_rdb.cpp). All methods are safe to
// call from several processes on one database: trial numbers are assigned
// inside a write transaction.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pelagos/tune/trial.h"

namespace pelagos::tune {

class Storage {
 public:
  virtual ~Storage();

  // Studies. create_study throws pelagos::Error if the name exists.
  virtual int64_t create_study(const std::string& name, StudyDirection direction) = 0;
  virtual std::optional<int64_t> find_study(const std::string& name) = 0;
  virtual void delete_study(int64_t study_id) = 0;
  virtual std::string study_name(int64_t study_id) = 0;
  virtual StudyDirection study_direction(int64_t study_id) = 0;
  virtual std::vector<StudySummary> list_studies() = 0;
  virtual void set_study_user_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) = 0;
  virtual void set_study_system_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) = 0;
  virtual std::map<std::string, nlohmann::json> study_user_attrs(int64_t study_id) = 0;
  virtual std::map<std::string, nlohmann::json> study_system_attrs(int64_t study_id) = 0;

  // Trials. create_trial assigns the next number atomically. With a template
  // (enqueued trial) its state (WAITING), params and attrs are copied.
  virtual FrozenTrial create_trial(int64_t study_id, const FrozenTrial* template_trial = nullptr) = 0;
  // Claims a WAITING trial for this worker (WAITING -> RUNNING, atomically);
  // returns nullopt when there is none.
  virtual std::optional<FrozenTrial> claim_waiting_trial(int64_t study_id) = 0;
  // A study-wide trial budget shared by several workers: if the study holds
  // fewer than `limit` trials that are not WAITING, claims a WAITING trial or
  // creates a new one, in one atomic step; else nullopt. The default counts
  // then creates (enough for a single-process store).
  virtual std::optional<FrozenTrial> start_trial_within(int64_t study_id, int limit);
  virtual void set_trial_param(int64_t trial_id, const std::string& name, double internal_value,
                               const Distribution& distribution) = 0;
  // Returns false (and changes nothing) if the trial is already finished
  // (another worker or a stale-trial sweep got there first).
  virtual bool set_trial_state_value(int64_t trial_id, TrialState state,
                                     std::optional<double> value = std::nullopt) = 0;
  virtual void set_trial_intermediate_value(int64_t trial_id, int64_t step, double value) = 0;
  virtual void set_trial_user_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) = 0;
  virtual void set_trial_system_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) = 0;
  virtual FrozenTrial get_trial(int64_t trial_id) = 0;
  virtual std::optional<int64_t> trial_id_from_number(int64_t study_id, int number) = 0;
  virtual std::vector<FrozenTrial> get_all_trials(int64_t study_id) = 0;
  virtual int count_trials(int64_t study_id, std::optional<TrialState> state = std::nullopt) = 0;
  // Brings `trials` (this study's trials as get_all_trials or an earlier
  // refresh returned them) up to date. Finished trials never change, so an
  // implementation may re-read only the unfinished ones and append new ones;
  // a sampler then reads a long history without copying it on every ask.
  // Default: get_all_trials.
  virtual void refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials);

  // Heartbeats (Optuna's trial_heartbeats table): a RUNNING trial whose last
  // heartbeat is older than grace_seconds belonged to a worker that died; it
  // is set to FAIL. Returns the numbers of the trials it failed.
  virtual void record_heartbeat(int64_t trial_id) = 0;
  virtual std::vector<int> fail_stale_trials(int64_t study_id, double grace_seconds) = 0;
};

// "sqlite:///path/to/study.db" (Optuna's URL form), "postgresql://user@host:port/db"
// (also postgres:// and SQLAlchemy's postgresql+psycopg2://), ":memory:" or
// "memory" for an in-process store. Throws pelagos::Error naming the URL
// (without its password) and what to do.
std::unique_ptr<Storage> open_storage(const std::string& url);
// `url` as pelagos shows it (messages, logs, model metadata): any password replaced by ***.
std::string redact_storage_url(const std::string& url);

std::unique_ptr<Storage> make_memory_storage();
std::unique_ptr<Storage> make_sqlite_storage(const std::string& path);
// A PostgreSQL URL as open_storage takes it. Operations that lose the
// connection reconnect with backoff and run again (PELAGOS_DB_RETRY_SECONDS,
// default 60 s); past that they throw a pelagos::Error saying the database is
// unreachable.
std::unique_ptr<Storage> make_postgres_storage(const std::string& url);

}  // namespace pelagos::tune
