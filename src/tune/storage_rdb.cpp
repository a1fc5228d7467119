// Storage on a relational database in Optuna 3.1's schema (SQLite or
// PostgreSQL through sql::Db): Optuna can open what pelagos writes and the
// other way round, and several processes (pelagos or Optuna, on one or many
// machines) can share one database.
//
// Concurrency. Every read-modify-write runs in a write transaction. On SQLite
// that is BEGIN IMMEDIATE, one writer at a time. On PostgreSQL it is READ
// COMMITTED plus the row locks Optuna's RDBStorage takes, so mixed pelagos
// and Optuna workers exclude each other: creating a trial locks the study row
// (SELECT ... FOR UPDATE) before counting the trials, so numbers are unique and
// dense; a state change locks the trial row and re-reads its state, so a
// finished trial never changes again; claiming an enqueued trial uses
// FOR UPDATE SKIP LOCKED. Row locks rather than SERIALIZABLE because Optuna
// workers only take these locks (a SERIALIZABLE pelagos transaction would not
// see their writes as conflicts), and because waiting on a lock needs no retry
// loop. Each statement at READ COMMITTED sees what committed before it, so the
// count after the lock is current.
#include "tune/storage_rdb.h"

#include <fmt/format.h>

#include <mutex>
#include <unordered_map>

#include "pelagos/error.h"
#include "tune/optuna_schema.h"
#include "tune/optuna_sql_values.h"

namespace pelagos::tune {
namespace {

using sql::Stmt;
using sql::Transaction;

class RdbStorage final : public Storage {
 public:
  explicit RdbStorage(std::unique_ptr<sql::Db> db) : owned_(std::move(db)), db_(*owned_) {
    optuna_schema::ensure(db_);
  }

  // ---- studies ------------------------------------------------------------

  int64_t create_study(const std::string& name, StudyDirection direction) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    if (find_study_id(name))
      throw Error(fmt::format("a study named '{}' already exists in {}; choose another --study-name, or reuse it "
                              "(e.g. `study create --skip-if-exists`)",
                              name, db_.label()));
    const int64_t id = insert_returning_id(
        Stmt(db_, "INSERT INTO studies (study_name) VALUES (?) RETURNING study_id").bind(1, name));
    Stmt(db_, "INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, 0)")
        .bind(1, std::string(to_string(direction)))
        .bind(2, id)
        .run();
    tx.commit();
    return id;
  }

  std::optional<int64_t> find_study(const std::string& name) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return find_study_id(name);
  }

  void delete_study(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    require_study(study_id);
    for (const char* table : {"trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                              "trial_system_attributes", "trial_heartbeats"}) {
      const std::string q = fmt::format(
          "DELETE FROM {} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)", table);
      Stmt(db_, q).bind(1, study_id).run();
    }
    for (const char* table : {"trials", "study_directions", "study_user_attributes", "study_system_attributes",
                              "studies"}) {
      const std::string q = fmt::format("DELETE FROM {} WHERE study_id = ?", table);
      Stmt(db_, q).bind(1, study_id).run();
    }
    tx.commit();
  }

  std::string study_name(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Stmt q(db_, "SELECT study_name FROM studies WHERE study_id = ?");
    q.bind(1, study_id);
    if (!q.step()) throw no_study(study_id);
    return q.text(0);
  }

  StudyDirection study_direction(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const auto dirs = directions(study_id);
    if (dirs.size() != 1)
      throw Error(fmt::format("study '{}' in {} has {} objectives; pelagos handles single-objective studies only",
                              study_name(study_id), db_.label(), dirs.size()));
    return dirs.front();
  }

  std::vector<StudySummary> list_studies() override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Read);
    std::vector<StudySummary> out;
    Stmt q(db_, "SELECT study_id, study_name FROM studies ORDER BY study_id");
    while (q.step()) {
      StudySummary s;
      s.study_id = q.i64(0);
      s.name = q.text(1);
      const auto dirs = directions(s.study_id);
      if (!dirs.empty()) s.direction = dirs.front();
      s.n_trials = count_trials(s.study_id, std::nullopt);
      if (dirs.size() == 1) {
        if (auto best = best_trial_id(s.study_id, s.direction)) s.best_trial = get_trial(*best);
      }
      Stmt start(db_, "SELECT MIN(datetime_start) FROM trials WHERE study_id = ?");
      start.bind(1, s.study_id);
      if (start.step() && !start.is_null(0)) s.datetime_start = optuna_sql::parse_datetime(start.text(0));
      out.push_back(std::move(s));
    }
    tx.commit();
    return out;
  }

  void set_study_user_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    set_study_attr("study_user_attributes", study_id, key, value);
  }
  void set_study_system_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    set_study_attr("study_system_attributes", study_id, key, value);
  }
  std::map<std::string, nlohmann::json> study_user_attrs(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return study_attrs("study_user_attributes", study_id);
  }
  std::map<std::string, nlohmann::json> study_system_attrs(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return study_attrs("study_system_attributes", study_id);
  }

  // ---- trials -------------------------------------------------------------

  FrozenTrial create_trial(int64_t study_id, const FrozenTrial* tmpl) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    // Optuna's number: how many trials of the study came before this one. The
    // study lock (as Optuna takes it) makes count + insert atomic across processes.
    lock_study(study_id);
    Stmt count(db_, "SELECT COUNT(*) FROM trials WHERE study_id = ?");
    count.bind(1, study_id).step();
    const int64_t number = count.i64(0);
    const auto now = optuna_sql::format_datetime(Clock::now());
    Stmt ins(db_,
             "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) "
             "VALUES (?, ?, ?, ?, ?) RETURNING trial_id");
    ins.bind(1, number).bind(2, study_id);
    if (!tmpl) {
      ins.bind(3, std::string(to_string(TrialState::Running))).bind(4, now).bind_null(5);
    } else {
      ins.bind(3, std::string(to_string(tmpl->state)));
      if (tmpl->datetime_start) {
        ins.bind(4, optuna_sql::format_datetime(*tmpl->datetime_start));
      } else {
        ins.bind_null(4);
      }
      if (tmpl->datetime_complete) {
        ins.bind(5, optuna_sql::format_datetime(*tmpl->datetime_complete));
      } else {
        ins.bind_null(5);
      }
    }
    const int64_t trial_id = insert_returning_id(ins);
    if (tmpl) {
      if (tmpl->value) write_value(trial_id, *tmpl->value);
      for (const auto& [name, internal] : tmpl->params) {
        const auto it = tmpl->distributions.find(name);
        if (it == tmpl->distributions.end())
          throw Error(fmt::format("enqueued trial parameter '{}' has no distribution", name));
        write_param(trial_id, name, internal, it->second);
      }
      for (const auto& [step, v] : tmpl->intermediate_values) write_intermediate(trial_id, step, v);
      for (const auto& [key, v] : tmpl->user_attrs) write_trial_attr("trial_user_attributes", trial_id, key, v);
      for (const auto& [key, v] : tmpl->system_attrs) write_trial_attr("trial_system_attributes", trial_id, key, v);
    }
    tx.commit();
    return get_trial(trial_id);
  }

  std::optional<FrozenTrial> claim_waiting_trial(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    const std::string sql = std::string("SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' ") +
                            "ORDER BY trial_id LIMIT 1" + skip_locked();
    Stmt q(db_, sql);
    q.bind(1, study_id);
    if (!q.step()) return std::nullopt;
    const int64_t trial_id = q.i64(0);
    Stmt(db_, "UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ?")
        .bind(1, optuna_sql::format_datetime(Clock::now()))
        .bind(2, trial_id)
        .run();
    tx.commit();
    return get_trial(trial_id);
  }

  std::optional<FrozenTrial> start_trial_within(int64_t study_id, int limit) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    // The study lock also orders this count against Optuna workers' creations.
    lock_study(study_id);
    Stmt used(db_, "SELECT COUNT(*) FROM trials WHERE study_id = ? AND state <> 'WAITING'");
    used.bind(1, study_id).step();
    if (used.i64(0) >= limit) return std::nullopt;
    std::optional<FrozenTrial> trial = claim_waiting_trial(study_id);
    if (!trial) trial = create_trial(study_id, nullptr);
    tx.commit();
    return trial;
  }

  void set_trial_param(int64_t trial_id, const std::string& name, double internal_value,
                       const Distribution& distribution) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    // As Optuna: the study lock orders the distribution-compatibility check.
    lock_study(study_of_trial(trial_id));
    require_updatable(trial_id);
    write_param(trial_id, name, internal_value, distribution);
    tx.commit();
  }

  bool set_trial_state_value(int64_t trial_id, TrialState state, std::optional<double> value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    const TrialState current = trial_state(trial_id, /*lock=*/true);
    if (is_finished(current)) return false;
    if (state == TrialState::Running && current != TrialState::Waiting) return false;
    if (value) write_value(trial_id, *value);
    // As Optuna: RUNNING (from WAITING) restarts the clock, a final state stops it.
    Stmt(db_,
         "UPDATE trials SET state = ?1, "
         "datetime_start = CASE WHEN ?2 = 1 THEN ?3 ELSE datetime_start END, "
         "datetime_complete = CASE WHEN ?4 = 1 THEN ?3 ELSE datetime_complete END WHERE trial_id = ?5")
        .bind(1, std::string(to_string(state)))
        .bind(2, static_cast<int64_t>(state == TrialState::Running))
        .bind(3, optuna_sql::format_datetime(Clock::now()))
        .bind(4, static_cast<int64_t>(is_finished(state)))
        .bind(5, trial_id)
        .run();
    tx.commit();
    return true;
  }

  void set_trial_intermediate_value(int64_t trial_id, int64_t step, double value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    require_updatable(trial_id);
    write_intermediate(trial_id, step, value);
    tx.commit();
  }

  void set_trial_user_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    require_updatable(trial_id);
    write_trial_attr("trial_user_attributes", trial_id, key, value);
    tx.commit();
  }

  void set_trial_system_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    require_updatable(trial_id);
    write_trial_attr("trial_system_attributes", trial_id, key, value);
    tx.commit();
  }

  FrozenTrial get_trial(int64_t trial_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    auto trials = load_trials("t.trial_id = ?1", trial_id);
    if (trials.empty()) throw Error(fmt::format("no trial with id {} in {}", trial_id, db_.label()));
    return std::move(trials.front());
  }

  std::optional<int64_t> trial_id_from_number(int64_t study_id, int number) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Stmt q(db_, "SELECT trial_id FROM trials WHERE study_id = ? AND number = ?");
    q.bind(1, study_id).bind(2, number);
    if (!q.step()) return std::nullopt;
    return q.i64(0);
  }

  std::vector<FrozenTrial> get_all_trials(int64_t study_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return load_trials("t.study_id = ?1", study_id);
  }

  void refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    // The leading finished trials cannot have changed; re-read what follows.
    size_t keep = 0;
    while (keep < trials.size() && is_finished(trials[keep].state)) ++keep;
    const int64_t after = keep ? trials[keep - 1].trial_id : -1;
    // The caller keeps the leading finished trials of what it reads now, so
    // caching those too would only copy them.
    auto rest = load_trials("t.study_id = ?1", study_id, after, /*cache_leading=*/false);
    trials.resize(keep);
    trials.insert(trials.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  }

  int count_trials(int64_t study_id, std::optional<TrialState> state) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Stmt q(db_, state ? "SELECT COUNT(*) FROM trials WHERE study_id = ? AND state = ?"
                      : "SELECT COUNT(*) FROM trials WHERE study_id = ?");
    q.bind(1, study_id);
    if (state) q.bind(2, std::string(to_string(*state)));
    q.step();
    return static_cast<int>(q.i64(0));
  }

  // ---- heartbeats -----------------------------------------------------------

  void record_heartbeat(int64_t trial_id) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    // The database's CURRENT_TIMESTAMP, as Optuna writes it (SQLite: UTC, whole seconds).
    Stmt(db_,
         "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, CURRENT_TIMESTAMP) "
         "ON CONFLICT (trial_id) DO UPDATE SET heartbeat = CURRENT_TIMESTAMP")
        .bind(1, trial_id)
        .run();
  }

  std::vector<int> fail_stale_trials(int64_t study_id, double grace_seconds) override {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Transaction tx(db_, Transaction::Mode::Write);
    // The database's clock on both sides (Optuna writes its now() too), so
    // workers' clocks need not agree.
    const bool pg = db_.dialect() == sql::Dialect::Postgres;
    const std::string sql =
        fmt::format("SELECT t.trial_id, t.number FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id "
                    "WHERE t.study_id = ? AND t.state = 'RUNNING' AND {} > ? ORDER BY t.trial_id{}",
                    pg ? "EXTRACT(EPOCH FROM (LOCALTIMESTAMP - h.heartbeat))"
                       : "(julianday('now') - julianday(h.heartbeat)) * 86400.0",
                    pg ? " FOR UPDATE OF t SKIP LOCKED" : "");
    Stmt q(db_, sql);
    q.bind(1, study_id).bind(2, grace_seconds);
    std::vector<int> failed;
    const auto now = optuna_sql::format_datetime(Clock::now());
    while (q.step()) {
      Stmt(db_, "UPDATE trials SET state = 'FAIL', datetime_complete = ? WHERE trial_id = ?")
          .bind(1, now)
          .bind(2, q.i64(0))
          .run();
      failed.push_back(static_cast<int>(q.i64(1)));
    }
    tx.commit();
    return failed;
  }

 private:
  Error no_study(int64_t study_id) const {
    return Error(fmt::format("no study with id {} in {} (was it deleted by another process?)", study_id,
                             db_.label()));
  }

  static int64_t insert_returning_id(Stmt&& ins) { return insert_returning_id(ins); }
  static int64_t insert_returning_id(Stmt& ins) {
    if (!ins.step()) throw Error("an INSERT ... RETURNING returned no row");
    const int64_t id = ins.i64(0);
    ins.run();
    return id;
  }

  const char* skip_locked() const {
    return db_.dialect() == sql::Dialect::Postgres ? " FOR UPDATE SKIP LOCKED" : "";
  }

  // Locks the study row for the rest of the write transaction (PostgreSQL;
  // SQLite's write transaction already excludes other writers).
  void lock_study(int64_t study_id) {
    Stmt q(db_, std::string("SELECT 1 FROM studies WHERE study_id = ?") + db_.for_update());
    q.bind(1, study_id);
    if (!q.step()) throw no_study(study_id);
  }

  int64_t study_of_trial(int64_t trial_id) {
    Stmt q(db_, "SELECT study_id FROM trials WHERE trial_id = ?");
    q.bind(1, trial_id);
    if (!q.step()) throw Error(fmt::format("no trial with id {} in {}", trial_id, db_.label()));
    return q.i64(0);
  }

  std::optional<int64_t> find_study_id(const std::string& name) {
    Stmt q(db_, "SELECT study_id FROM studies WHERE study_name = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return q.i64(0);
  }

  void require_study(int64_t study_id) {
    Stmt q(db_, "SELECT 1 FROM studies WHERE study_id = ?");
    q.bind(1, study_id);
    if (!q.step()) throw no_study(study_id);
  }

  std::vector<StudyDirection> directions(int64_t study_id) {
    Stmt q(db_, "SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective");
    q.bind(1, study_id);
    std::vector<StudyDirection> out;
    while (q.step()) {
      const std::string d = q.text(0);
      if (d == "MINIMIZE") {
        out.push_back(StudyDirection::Minimize);
      } else if (d == "MAXIMIZE") {
        out.push_back(StudyDirection::Maximize);
      } else {
        throw Error(fmt::format("study {} in {} has direction '{}'; expected MINIMIZE or MAXIMIZE", study_id,
                                db_.label(), d));
      }
    }
    if (out.empty()) {
      require_study(study_id);
      throw Error(fmt::format("study {} in {} has no direction row; the file is inconsistent", study_id,
                              db_.label()));
    }
    return out;
  }

  // The COMPLETE trial with the best objective (ties: the earliest trial).
  std::optional<int64_t> best_trial_id(int64_t study_id, StudyDirection direction) {
    Stmt q(db_,
           "SELECT t.trial_id, v.value, v.value_type FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id "
           "WHERE t.study_id = ? AND t.state = 'COMPLETE' AND v.objective = 0 ORDER BY t.trial_id");
    q.bind(1, study_id);
    std::optional<int64_t> best;
    double best_value = 0.0;
    while (q.step()) {
      const double v = optuna_sql::from_stored(q.opt_f64(1), q.text(2));
      const bool better = direction == StudyDirection::Minimize ? v < best_value : v > best_value;
      if (!best || better) {
        best = q.i64(0);
        best_value = v;
      }
    }
    return best;
  }

  // `lock`: hold the trial row until the write transaction ends.
  TrialState trial_state(int64_t trial_id, bool lock = false) {
    Stmt q(db_, std::string("SELECT state FROM trials WHERE trial_id = ?") + (lock ? db_.for_update() : ""));
    q.bind(1, trial_id);
    if (!q.step()) throw Error(fmt::format("no trial with id {} in {}", trial_id, db_.label()));
    return trial_state_from_string(q.text(0));
  }

  void require_updatable(int64_t trial_id) {
    const TrialState s = trial_state(trial_id, /*lock=*/true);
    if (is_finished(s)) {
      Stmt q(db_, "SELECT number FROM trials WHERE trial_id = ?");
      q.bind(1, trial_id).step();
      throw Error(fmt::format("trial {} is already finished ({}) and cannot be changed", q.i64(0), to_string(s)));
    }
  }

  void set_study_attr(const char* table, int64_t study_id, const std::string& key, const nlohmann::json& value) {
    Transaction tx(db_, Transaction::Mode::Write);
    require_study(study_id);
    const std::string q = fmt::format(
        "INSERT INTO {} (study_id, \"key\", value_json) VALUES (?, ?, ?) "
        "ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
        table);
    Stmt(db_, q.c_str()).bind(1, study_id).bind(2, key).bind(3, optuna_sql::attr_to_json_text(value)).run();
    tx.commit();
  }

  std::map<std::string, nlohmann::json> study_attrs(const char* table, int64_t study_id) {
    const std::string q = fmt::format("SELECT \"key\", value_json FROM {} WHERE study_id = ?", table);
    Stmt s(db_, q.c_str());
    s.bind(1, study_id);
    std::map<std::string, nlohmann::json> out;
    while (s.step()) {
      const std::string key = s.text(0);
      out[key] = optuna_sql::attr_from_json_text(s.text(1), fmt::format("study attribute '{}'", key));
    }
    return out;
  }

  // The write_* helpers run inside the caller's write transaction.

  void write_value(int64_t trial_id, double value) {
    const auto stored = optuna_sql::objective_to_stored(value);
    Stmt(db_,
         "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?) "
         "ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type")
        .bind(1, trial_id)
        .bind(2, stored.value)
        .bind(3, std::string(stored.type))
        .run();
  }

  void write_param(int64_t trial_id, const std::string& name, double internal, const Distribution& d) {
    // As Optuna's check_distribution_compatibility: within a study a parameter
    // keeps its kind, and a categorical one its choices.
    Stmt previous(db_,
                  "SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id "
                  "WHERE t.study_id = (SELECT study_id FROM trials WHERE trial_id = ?) AND p.param_name = ? LIMIT 1");
    previous.bind(1, trial_id).bind(2, name);
    if (previous.step()) {
      const Distribution& old = distribution(previous.text(0), name);
      if (old.kind != d.kind)
        throw Error(fmt::format("parameter '{}' was already used in this study with a different distribution kind "
                                "({}); a parameter keeps its kind within a study",
                                name, old.to_json().at("name").get<std::string>()));
      if (d.kind == Distribution::Kind::Categorical && old != d)
        throw Error(fmt::format("parameter '{}' was already used in this study with the choices {}; a categorical "
                                "parameter keeps its choices within a study",
                                name, old.to_json().at("attributes").at("choices").dump()));
    }
    if (!d.contains(internal))
      throw Error(fmt::format("value {} of parameter '{}' is outside its distribution {}", internal, name,
                              d.to_json().dump()));
    Stmt(db_,
         "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, "
         "distribution_json = excluded.distribution_json")
        .bind(1, trial_id)
        .bind(2, name)
        .bind(3, internal)
        .bind(4, optuna_sql::distribution_to_json_text(d))
        .run();
  }

  void write_intermediate(int64_t trial_id, int64_t step, double value) {
    const auto stored = optuna_sql::intermediate_to_stored(value);
    Stmt(db_,
         "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) "
         "VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET "
         "intermediate_value = excluded.intermediate_value, "
         "intermediate_value_type = excluded.intermediate_value_type")
        .bind(1, trial_id)
        .bind(2, step)
        .bind(3, stored.value)
        .bind(4, std::string(stored.type))
        .run();
  }

  void write_trial_attr(const char* table, int64_t trial_id, const std::string& key, const nlohmann::json& value) {
    const std::string q = fmt::format(
        "INSERT INTO {} (trial_id, \"key\", value_json) VALUES (?, ?, ?) "
        "ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
        table);
    Stmt(db_, q.c_str()).bind(1, trial_id).bind(2, key).bind(3, optuna_sql::attr_to_json_text(value)).run();
  }

  // Distributions repeat across trials; parse each distinct JSON text once.
  const Distribution& distribution(const std::string& json_text, const std::string& param_name) {
    auto it = distributions_.find(json_text);
    if (it != distributions_.end()) return it->second;
    const nlohmann::json j = optuna_sql::attr_from_json_text(
        json_text, fmt::format("the distribution of parameter '{}'", param_name));
    return distributions_.emplace(json_text, Distribution::from_json(j, param_name)).first->second;
  }

  // Trials matching `where` (on alias t, parameter ?1 = arg) with a trial_id
  // above `after_id`, in trial_id order, read in one snapshot with one query per table. A finished trial
  // never changes, so it is read in full once per process and then served
  // from `finished_` (samplers reload the history several times per ask).
  // Without `cache_leading`, the finished trials before the first unfinished
  // one are not cached.
  std::vector<FrozenTrial> load_trials(const char* where, int64_t arg, int64_t after_id = -1,
                                       bool cache_leading = true) {
    Transaction tx(db_, Transaction::Mode::Read);
    std::vector<FrozenTrial> trials;
    std::unordered_map<int64_t, size_t> fresh;  // trial_id -> index in `trials`, for those read in full
    std::string fresh_ids;
    std::unordered_map<int64_t, std::string> signatures;  // of the fresh finished ones
    {
      const std::string q = fmt::format(
          "SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete FROM trials t "
          "WHERE {} AND t.trial_id > ?2 ORDER BY t.trial_id",
          where);
      Stmt s(db_, q.c_str());
      s.bind(1, arg).bind(2, after_id);
      while (s.step()) {
        const int64_t id = s.i64(0);
        // The row's text also guards against a reused trial_id after a deletion.
        const std::string signature = s.text(2) + '|' + s.text(3) + '|' + s.text(4);
        const auto cached = finished_.find(id);
        if (cached != finished_.end() && cached->second.first == signature) {
          trials.push_back(cached->second.second);
          continue;
        }
        FrozenTrial t;
        t.trial_id = id;
        t.number = static_cast<int>(s.i64(1));
        t.state = trial_state_from_string(s.text(2));
        if (!s.is_null(3)) t.datetime_start = optuna_sql::parse_datetime(s.text(3));
        if (!s.is_null(4)) t.datetime_complete = optuna_sql::parse_datetime(s.text(4));
        fresh[id] = trials.size();
        fresh_ids += (fresh_ids.empty() ? "" : ",") + std::to_string(id);
        if (is_finished(t.state)) signatures[id] = signature;
        trials.push_back(std::move(t));
      }
    }
    if (!fresh.empty()) {
      // Selecting the details by the trials' own filter, when every trial is
      // fresh, spares SQLite from parsing a list of hundreds of ids per table.
      const bool all_fresh = fresh.size() == trials.size();
      load_details(trials, fresh, all_fresh ? std::string() : fresh_ids, where, arg, after_id);
    }
    size_t leading = 0;
    if (!cache_leading)
      while (leading < trials.size() && is_finished(trials[leading].state)) ++leading;
    for (const auto& [id, i] : fresh) {
      if (!is_finished(trials[i].state) || i < leading) continue;
      finished_[id] = {signatures.at(id), trials[i]};
    }
    tx.commit();
    return trials;
  }

  // Params, values, intermediate values and attributes of the trials `fresh`
  // points to: those with the ids in `ids` (comma-separated) or, if it is
  // empty, all those load_trials' filter (`where`, `arg`, `after_id`) selects.
  void load_details(std::vector<FrozenTrial>& trials, const std::unordered_map<int64_t, size_t>& fresh,
                    const std::string& ids, const char* where, int64_t arg, int64_t after_id) {
    auto each_row = [&](const char* select, const char* table, auto&& fn) {
      const std::string q =
          ids.empty() ? fmt::format("SELECT {} FROM trials t JOIN {} x ON x.trial_id = t.trial_id "
                                    "WHERE {} AND t.trial_id > ?2",
                                    select, table, where)
                      : fmt::format("SELECT {} FROM {} x WHERE x.trial_id IN ({})", select, table, ids);
      Stmt s(db_, q.c_str());
      if (ids.empty()) s.bind(1, arg).bind(2, after_id);
      while (s.step()) {
        const auto it = fresh.find(s.i64(0));
        if (it != fresh.end()) fn(trials[it->second], s);
      }
    };
    each_row("x.trial_id, x.param_name, x.param_value, x.distribution_json", "trial_params",
             [&](FrozenTrial& t, Stmt& s) {
               const std::string name = s.text(1);
               t.params[name] = s.f64(2);
               t.distributions.emplace(name, distribution(s.text(3), name));
             });
    // Multi-objective studies written by Optuna: objective 0 only (study_direction() refuses them).
    each_row("x.trial_id, x.objective, x.value, x.value_type", "trial_values", [&](FrozenTrial& t, Stmt& s) {
      if (s.i64(1) == 0) t.value = optuna_sql::from_stored(s.opt_f64(2), s.text(3));
    });
    each_row("x.trial_id, x.step, x.intermediate_value, x.intermediate_value_type", "trial_intermediate_values",
             [&](FrozenTrial& t, Stmt& s) {
               t.intermediate_values[s.i64(1)] = optuna_sql::from_stored(s.opt_f64(2), s.text(3));
             });
    each_row("x.trial_id, x.\"key\", x.value_json", "trial_user_attributes", [&](FrozenTrial& t, Stmt& s) {
      const std::string key = s.text(1);
      t.user_attrs[key] = optuna_sql::attr_from_json_text(s.text(2), fmt::format("user attribute '{}'", key));
    });
    each_row("x.trial_id, x.\"key\", x.value_json", "trial_system_attributes", [&](FrozenTrial& t, Stmt& s) {
      const std::string key = s.text(1);
      t.system_attrs[key] = optuna_sql::attr_from_json_text(s.text(2), fmt::format("system attribute '{}'", key));
    });
  }

  // One connection shared by the Study's threads (its heartbeat thread among
  // them); neither an SQLite NOMUTEX connection nor a libpq one may be used
  // concurrently.
  std::recursive_mutex mutex_;
  std::unique_ptr<sql::Db> owned_;
  sql::Db& db_;
  std::unordered_map<std::string, Distribution> distributions_;
  // Finished trials already read: trial_id -> (state|start|complete as stored, trial).
  std::unordered_map<int64_t, std::pair<std::string, FrozenTrial>> finished_;
};

}  // namespace

std::unique_ptr<Storage> make_rdb_storage(std::unique_ptr<sql::Db> db) {
  return std::make_unique<RdbStorage>(std::move(db));
}

}  // namespace pelagos::tune
