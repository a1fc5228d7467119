// Reconnect-and-retry around a storage on a database server (see
// make_retrying_storage). A worker whose server restarts, or whose network
// drops for a moment, carries on with its trial; one that cannot get back
// within PELAGOS_DB_RETRY_SECONDS stops with an error naming the database,
// and its RUNNING trial is failed by the other workers' stale-trial sweep.
#include <mutex>

#include "tune/storage_rdb.h"

namespace pelagos::tune {
namespace {

class RetryingStorage final : public Storage {
 public:
  RetryingStorage(std::unique_ptr<Storage> inner, sql::Db& db) : inner_(std::move(inner)), db_(db) {}

  int64_t create_study(const std::string& name, StudyDirection direction) override {
    return retry([&] { return inner_->create_study(name, direction); });
  }
  std::optional<int64_t> find_study(const std::string& name) override {
    return retry([&] { return inner_->find_study(name); });
  }
  void delete_study(int64_t study_id) override { retry([&] { inner_->delete_study(study_id); }); }
  std::string study_name(int64_t study_id) override { return retry([&] { return inner_->study_name(study_id); }); }
  StudyDirection study_direction(int64_t study_id) override {
    return retry([&] { return inner_->study_direction(study_id); });
  }
  std::vector<StudySummary> list_studies() override { return retry([&] { return inner_->list_studies(); }); }
  void set_study_user_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    retry([&] { inner_->set_study_user_attr(study_id, key, value); });
  }
  void set_study_system_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    retry([&] { inner_->set_study_system_attr(study_id, key, value); });
  }
  std::map<std::string, nlohmann::json> study_user_attrs(int64_t study_id) override {
    return retry([&] { return inner_->study_user_attrs(study_id); });
  }
  std::map<std::string, nlohmann::json> study_system_attrs(int64_t study_id) override {
    return retry([&] { return inner_->study_system_attrs(study_id); });
  }

  FrozenTrial create_trial(int64_t study_id, const FrozenTrial* tmpl) override {
    return retry([&] { return inner_->create_trial(study_id, tmpl); });
  }
  std::optional<FrozenTrial> claim_waiting_trial(int64_t study_id) override {
    return retry([&] { return inner_->claim_waiting_trial(study_id); });
  }
  std::optional<FrozenTrial> start_trial_within(int64_t study_id, int limit) override {
    return retry([&] { return inner_->start_trial_within(study_id, limit); });
  }
  void set_trial_param(int64_t trial_id, const std::string& name, double internal_value,
                       const Distribution& distribution) override {
    retry([&] { inner_->set_trial_param(trial_id, name, internal_value, distribution); });
  }
  bool set_trial_state_value(int64_t trial_id, TrialState state, std::optional<double> value) override {
    return retry([&] { return inner_->set_trial_state_value(trial_id, state, value); });
  }
  void set_trial_intermediate_value(int64_t trial_id, int64_t step, double value) override {
    retry([&] { inner_->set_trial_intermediate_value(trial_id, step, value); });
  }
  void set_trial_user_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    retry([&] { inner_->set_trial_user_attr(trial_id, key, value); });
  }
  void set_trial_system_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    retry([&] { inner_->set_trial_system_attr(trial_id, key, value); });
  }
  FrozenTrial get_trial(int64_t trial_id) override { return retry([&] { return inner_->get_trial(trial_id); }); }
  std::optional<int64_t> trial_id_from_number(int64_t study_id, int number) override {
    return retry([&] { return inner_->trial_id_from_number(study_id, number); });
  }
  std::vector<FrozenTrial> get_all_trials(int64_t study_id) override {
    return retry([&] { return inner_->get_all_trials(study_id); });
  }
  int count_trials(int64_t study_id, std::optional<TrialState> state) override {
    return retry([&] { return inner_->count_trials(study_id, state); });
  }
  void refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials) override {
    retry([&] { inner_->refresh_trials(study_id, trials); });
  }
  void record_heartbeat(int64_t trial_id) override { retry([&] { inner_->record_heartbeat(trial_id); }); }
  std::vector<int> fail_stale_trials(int64_t study_id, double grace_seconds) override {
    return retry([&] { return inner_->fail_stale_trials(study_id, grace_seconds); });
  }

 private:
  // The study's threads (its heartbeat thread among them) share the
  // connection: one of them reconnects while the others wait.
  template <class F>
  auto retry(F&& f) -> decltype(f()) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    for (int attempt = 1;; ++attempt) {
      try {
        return f();
      } catch (const sql::ConnectionLost&) {
        // A server that keeps dropping us right after each reconnect: give up.
        if (attempt >= kMaxAttempts) throw;
        db_.reconnect();
      }
    }
  }

  static constexpr int kMaxAttempts = 20;
  std::recursive_mutex mutex_;
  std::unique_ptr<Storage> inner_;
  sql::Db& db_;
};

}  // namespace

std::unique_ptr<Storage> make_retrying_storage(std::unique_ptr<Storage> inner, sql::Db& db) {
  return std::make_unique<RetryingStorage>(std::move(inner), db);
}

}  // namespace pelagos::tune
