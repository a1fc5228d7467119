// In-process storage (optuna.storages.InMemoryStorage): one mutex around plain
// containers; every read returns a copy so callers never see a torn trial.
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/tune/storage.h"

namespace pelagos::tune {
namespace {

class MemoryStorage final : public Storage {
 public:
  int64_t create_study(const std::string& name, StudyDirection direction) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, s] : studies_)
      if (s.name == name)
        throw Error("a study named '" + name + "' already exists; load it or pick another name");
    int64_t id = next_study_id_++;
    StudyRecord& s = studies_[id];
    s.name = name;
    s.direction = direction;
    return id;
  }

  std::optional<int64_t> find_study(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, s] : studies_)
      if (s.name == name) return id;
    return std::nullopt;
  }

  void delete_study(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StudyRecord& s = study(study_id);
    for (const FrozenTrial& t : s.trials) {
      trial_index_.erase(t.trial_id);
      heartbeats_.erase(t.trial_id);
    }
    studies_.erase(study_id);
  }

  std::string study_name(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return study(study_id).name;
  }

  StudyDirection study_direction(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return study(study_id).direction;
  }

  std::vector<StudySummary> list_studies() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<StudySummary> out;
    for (const auto& [id, s] : studies_) {
      StudySummary sum;
      sum.study_id = id;
      sum.name = s.name;
      sum.direction = s.direction;
      sum.n_trials = static_cast<int>(s.trials.size());
      for (const FrozenTrial& t : s.trials) {
        if (t.state == TrialState::Complete && t.value) {
          bool better = !sum.best_trial || (s.direction == StudyDirection::Minimize
                                                ? *t.value < *sum.best_trial->value
                                                : *t.value > *sum.best_trial->value);
          if (better) sum.best_trial = t;
        }
        if (t.datetime_start && (!sum.datetime_start || *t.datetime_start < *sum.datetime_start))
          sum.datetime_start = t.datetime_start;
      }
      out.push_back(std::move(sum));
    }
    return out;
  }

  void set_study_user_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    study(study_id).user_attrs[key] = value;
  }

  void set_study_system_attr(int64_t study_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    study(study_id).system_attrs[key] = value;
  }

  std::map<std::string, nlohmann::json> study_user_attrs(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return study(study_id).user_attrs;
  }

  std::map<std::string, nlohmann::json> study_system_attrs(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return study(study_id).system_attrs;
  }

  FrozenTrial create_trial(int64_t study_id, const FrozenTrial* template_trial) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StudyRecord& s = study(study_id);
    FrozenTrial t;
    if (template_trial) {
      t = *template_trial;
      for (const auto& [name, dist] : t.distributions) check_compatible(s, name, dist);
    } else {
      t.state = TrialState::Running;
    }
    t.trial_id = next_trial_id_++;
    t.number = static_cast<int>(s.trials.size());
    if (t.state == TrialState::Running && !t.datetime_start) t.datetime_start = Clock::now();
    if (is_finished(t.state) && !t.datetime_complete) t.datetime_complete = Clock::now();
    trial_index_[t.trial_id] = {study_id, s.trials.size()};
    s.trials.push_back(t);
    return t;
  }

  std::optional<FrozenTrial> claim_waiting_trial(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (FrozenTrial& t : study(study_id).trials) {
      if (t.state != TrialState::Waiting) continue;
      t.state = TrialState::Running;
      t.datetime_start = Clock::now();
      return t;
    }
    return std::nullopt;
  }

  void set_trial_param(int64_t trial_id, const std::string& name, double internal_value,
                       const Distribution& distribution) override {
    std::lock_guard<std::mutex> lock(mutex_);
    FrozenTrial& t = unfinished_trial(trial_id);
    check_compatible(studies_.at(trial_index_.at(trial_id).study_id), name, distribution);
    t.params[name] = internal_value;
    t.distributions[name] = distribution;
  }

  bool set_trial_state_value(int64_t trial_id, TrialState state, std::optional<double> value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    FrozenTrial& t = trial(trial_id);
    if (is_finished(t.state)) return false;
    if (state == TrialState::Running && t.state == TrialState::Waiting) t.datetime_start = Clock::now();
    t.state = state;
    if (value) t.value = value;
    if (is_finished(state)) {
      t.datetime_complete = Clock::now();
      heartbeats_.erase(trial_id);
    }
    return true;
  }

  void set_trial_intermediate_value(int64_t trial_id, int64_t step, double value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    unfinished_trial(trial_id).intermediate_values[step] = value;
  }

  void set_trial_user_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    unfinished_trial(trial_id).user_attrs[key] = value;
  }

  void set_trial_system_attr(int64_t trial_id, const std::string& key, const nlohmann::json& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    unfinished_trial(trial_id).system_attrs[key] = value;
  }

  FrozenTrial get_trial(int64_t trial_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return trial(trial_id);
  }

  std::optional<int64_t> trial_id_from_number(int64_t study_id, int number) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const StudyRecord& s = study(study_id);
    if (number < 0 || number >= static_cast<int>(s.trials.size())) return std::nullopt;
    return s.trials[static_cast<size_t>(number)].trial_id;
  }

  std::vector<FrozenTrial> get_all_trials(int64_t study_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return study(study_id).trials;
  }

  void refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::vector<FrozenTrial>& stored = study(study_id).trials;
    if (trials.size() > stored.size()) trials.clear();
    for (size_t i = 0; i < trials.size(); ++i)
      if (trials[i].trial_id != stored[i].trial_id || !is_finished(trials[i].state)) trials[i] = stored[i];
    trials.insert(trials.end(), stored.begin() + static_cast<std::ptrdiff_t>(trials.size()), stored.end());
  }

  int count_trials(int64_t study_id, std::optional<TrialState> state) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const StudyRecord& s = study(study_id);
    if (!state) return static_cast<int>(s.trials.size());
    int n = 0;
    for (const FrozenTrial& t : s.trials) n += t.state == *state;
    return n;
  }

  void record_heartbeat(int64_t trial_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    trial(trial_id);  // validates the id
    heartbeats_[trial_id] = Clock::now();
  }

  std::vector<int> fail_stale_trials(int64_t study_id, double grace_seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> failed;
    const auto now = Clock::now();
    for (FrozenTrial& t : study(study_id).trials) {
      auto beat = heartbeats_.find(t.trial_id);
      if (t.state != TrialState::Running || beat == heartbeats_.end()) continue;
      if (std::chrono::duration<double>(now - beat->second).count() <= grace_seconds) continue;
      t.state = TrialState::Fail;
      t.datetime_complete = now;
      heartbeats_.erase(beat);
      failed.push_back(t.number);
    }
    return failed;
  }

 private:
  struct StudyRecord {
    std::string name;
    StudyDirection direction = StudyDirection::Minimize;
    std::map<std::string, nlohmann::json> user_attrs, system_attrs;
    std::vector<FrozenTrial> trials;
    std::map<std::string, Distribution> param_distributions;  // first seen, for compatibility checks
  };
  struct TrialLocation {
    int64_t study_id;
    size_t index;
  };

  StudyRecord& study(int64_t study_id) {
    auto it = studies_.find(study_id);
    if (it == studies_.end()) throw Error(fmt::format("no study with id {} in this storage", study_id));
    return it->second;
  }

  FrozenTrial& trial(int64_t trial_id) {
    auto it = trial_index_.find(trial_id);
    if (it == trial_index_.end()) throw Error(fmt::format("no trial with id {} in this storage", trial_id));
    return studies_.at(it->second.study_id).trials[it->second.index];
  }

  FrozenTrial& unfinished_trial(int64_t trial_id) {
    FrozenTrial& t = trial(trial_id);
    if (is_finished(t.state))
      throw Error(fmt::format("trial {} is already {}; it cannot be changed", t.number, to_string(t.state)));
    return t;
  }

  // Optuna's check_distribution_compatibility: same kind and log setting,
  // identical choices for categoricals.
  static void check_compatible(StudyRecord& s, const std::string& name, const Distribution& dist) {
    auto [it, inserted] = s.param_distributions.emplace(name, dist);
    if (inserted) return;
    const Distribution& old = it->second;
    bool same = old.kind == dist.kind && old.log == dist.log &&
                (dist.kind != Distribution::Kind::Categorical || old == dist);
    if (!same)
      throw Error("parameter '" + name + "' was recorded with " + old.to_json().dump() +
                  " in this study and cannot change to " + dist.to_json().dump());
  }

  std::mutex mutex_;
  std::map<int64_t, StudyRecord> studies_;
  std::unordered_map<int64_t, TrialLocation> trial_index_;
  std::unordered_map<int64_t, Clock::time_point> heartbeats_;
  int64_t next_study_id_ = 0;
  int64_t next_trial_id_ = 0;
};

}  // namespace

std::unique_ptr<Storage> make_memory_storage() { return std::make_unique<MemoryStorage>(); }

}  // namespace pelagos::tune
