#include "pelagos/tune/study.h"

#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos::tune {
namespace {

const char* kFixedParamsKey = "fixed_params";

// Optuna's IntersectionSearchSpace(include_pruned=True): the parameters every
// COMPLETE or PRUNED trial has, with the same distribution.
SearchSpace intersection_search_space(const std::vector<FrozenTrial>& trials) {
  std::optional<SearchSpace> space;
  for (const FrozenTrial& t : trials) {
    if (t.state != TrialState::Complete && t.state != TrialState::Pruned) continue;
    if (!space) {
      space = SearchSpace(t.distributions.begin(), t.distributions.end());
      continue;
    }
    for (auto it = space->begin(); it != space->end();) {
      auto other = t.distributions.find(it->first);
      it = (other == t.distributions.end() || other->second != it->second) ? space->erase(it) : std::next(it);
    }
  }
  SearchSpace out;
  if (space)
    for (auto& [name, dist] : *space)
      if (!dist.single()) out.emplace(name, dist);
  return out;
}

// Calls storage.record_heartbeat every interval until destroyed.
class HeartbeatThread {
 public:
  HeartbeatThread(Storage& storage, int64_t trial_id, double interval_s) {
    if (interval_s <= 0.0) return;
    thread_ = std::thread([this, &storage, trial_id, interval_s] {
      std::unique_lock<std::mutex> lock(mutex_);
      do {
        lock.unlock();
        try {
          storage.record_heartbeat(trial_id);
        } catch (const std::exception&) {
          // The database is unreachable (the storage already retried): stop
          // beating; the trial's own next storage call reports the error, and
          // other workers fail the trial once its heartbeat is stale.
          return;
        }
        lock.lock();
      } while (!wake_.wait_for(lock, std::chrono::duration<double>(interval_s), [this] { return stop_; }));
    });
  }
  ~HeartbeatThread() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

TrialPruned::TrialPruned() : std::runtime_error("trial pruned") {}
TrialPruned::~TrialPruned() = default;

// ---- Trial ----------------------------------------------------------------

double Trial::suggest_float(const std::string& name, double low, double high, bool log, std::optional<double> step) {
  Distribution d;
  d.kind = Distribution::Kind::Float;
  d.low = low;
  d.high = high;
  d.log = log;
  d.step = step;
  return suggest(name, Distribution::from_json(d.to_json(), name)).get<double>();
}

int64_t Trial::suggest_int(const std::string& name, int64_t low, int64_t high, int64_t step, bool log) {
  nlohmann::json attrs = {{"low", low}, {"high", high}, {"step", step}, {"log", log}};
  return suggest(name, Distribution::from_json({{"name", "IntDistribution"}, {"attributes", attrs}}, name))
      .get<int64_t>();
}

nlohmann::json Trial::suggest_categorical(const std::string& name, std::vector<nlohmann::json> choices) {
  nlohmann::json attrs = {{"choices", std::move(choices)}};
  return suggest(name, Distribution::from_json({{"name", "CategoricalDistribution"}, {"attributes", attrs}}, name));
}

nlohmann::json Trial::suggest(const std::string& name, const Distribution& distribution) {
  auto existing = frozen_.params.find(name);
  if (existing != frozen_.params.end()) {
    const Distribution& recorded = frozen_.distributions.at(name);
    if (recorded.kind != distribution.kind || recorded.log != distribution.log)
      throw Error("parameter '" + name + "' was already suggested in trial " + std::to_string(number()) +
                  " with " + recorded.to_json().dump());
    return recorded.to_external(existing->second);
  }
  return study_->sample_param(*this, name, distribution);
}

void Trial::report(int64_t step, double value) {
  if (step < 0) throw Error(fmt::format("report: step must be >= 0 (got {})", step));
  if (frozen_.intermediate_values.count(step)) return;  // Optuna keeps the first value of a step
  study_->storage_.set_trial_intermediate_value(id(), step, value);
  frozen_.intermediate_values[step] = value;
}

bool Trial::should_prune() {
  const StudyView view{study_->name_, study_->direction_, study_->history()};
  const FrozenTrial before = frozen_;
  const bool prune = study_->pruner_->prune(view, frozen_);
  study_->store_new_system_attrs(before, frozen_);
  return prune;
}

void Trial::set_user_attr(const std::string& key, const nlohmann::json& value) {
  study_->storage_.set_trial_user_attr(id(), key, value);
  frozen_.user_attrs[key] = value;
}

// ---- Study ----------------------------------------------------------------

Study::Study(Storage& storage, const std::string& name, std::optional<StudyDirection> direction,
             std::unique_ptr<Sampler> sampler, std::unique_ptr<Pruner> pruner, StudyOptions options)
    : storage_(storage),
      name_(name),
      direction_(direction.value_or(StudyDirection::Minimize)),
      sampler_(sampler ? std::move(sampler) : std::make_unique<TPESampler>()),
      pruner_(pruner ? std::move(pruner) : std::make_unique<MedianPruner>()),
      options_(options) {
  if (name.empty()) throw Error("a study needs a non-empty name (--study-name)");
  if (options_.heartbeat_interval_s < 0.0)
    throw Error(fmt::format("heartbeat interval must be >= 0 seconds (got {})", options_.heartbeat_interval_s));
  auto found = storage_.find_study(name);
  if (!found) {
    try {
      found = storage_.create_study(name, direction_);
    } catch (const Error&) {  // another worker created it in the meantime
      found = storage_.find_study(name);
      if (!found) throw;
    }
  }
  study_id_ = *found;
  const StudyDirection stored = storage_.study_direction(study_id_);
  if (!direction) direction_ = stored;
  if (stored != direction_)
    throw Error(fmt::format("study '{}' exists with direction {}; pass --direction {} or use another name", name,
                            to_string(stored), to_string(stored)));
}

Study::~Study() = default;

std::vector<int> Study::fail_stale_trials() {
  if (options_.heartbeat_interval_s <= 0.0) return {};
  return storage_.fail_stale_trials(study_id_,
                                    options_.grace_period_s.value_or(2.0 * options_.heartbeat_interval_s));
}

void Study::store_new_system_attrs(const FrozenTrial& before, const FrozenTrial& after) {
  for (const auto& [key, value] : after.system_attrs) {
    auto old = before.system_attrs.find(key);
    if (old == before.system_attrs.end() || old->second != value)
      storage_.set_trial_system_attr(after.trial_id, key, value);
  }
}

Trial Study::start_trial() { return *start_trial(std::nullopt); }

std::optional<Trial> Study::start_trial(std::optional<int> study_budget) {
  fail_stale_trials();
  std::optional<FrozenTrial> frozen;
  if (study_budget) {
    frozen = storage_.start_trial_within(study_id_, *study_budget);
    if (!frozen) return std::nullopt;
  } else {
    frozen = storage_.claim_waiting_trial(study_id_);
    if (!frozen) frozen = storage_.create_trial(study_id_);
  }
  Trial trial(this, *frozen);
  sampler_->before_trial(StudyView{name_, direction_, history()}, trial.frozen_);
  store_new_system_attrs(*frozen, trial.frozen_);
  return trial;
}

Trial Study::ask() { return start_trial(); }

Trial Study::ask(const SearchSpace& space) {
  Trial trial = start_trial();
  const auto fixed = trial.frozen_.system_attrs.find(kFixedParamsKey);
  SearchSpace relative;
  for (const auto& [name, dist] : space)
    if (!dist.single() && !(fixed != trial.frozen_.system_attrs.end() && fixed->second.contains(name)))
      relative.emplace(name, dist);
  const std::vector<FrozenTrial>& trials = history();
  trial.relative_space_ = relative;
  trial.relative_ = sampler_->sample_relative(StudyView{name_, direction_, trials}, trial.frozen_, relative);
  trial.history_ = &trials;
  for (const auto& [name, dist] : space) trial.suggest(name, dist);
  trial.history_ = nullptr;
  return trial;
}

nlohmann::json Study::sample_param(Trial& trial, const std::string& name, const Distribution& distribution) {
  FrozenTrial& frozen = trial.frozen_;
  double internal = 0.0;
  const auto fixed = frozen.system_attrs.find(kFixedParamsKey);
  if (fixed != frozen.system_attrs.end() && fixed->second.is_object() && fixed->second.contains(name)) {
    try {
      internal = distribution.to_internal(fixed->second.at(name));
    } catch (const Error& e) {
      throw Error("enqueued value for parameter '" + name + "' does not fit its distribution: " + e.what());
    }
  } else if (distribution.single()) {
    internal = distribution.kind == Distribution::Kind::Categorical ? 0.0 : distribution.low;
  } else {
    if (!trial.relative_) {  // define-by-run: one joint sample over the space seen so far
      const std::vector<FrozenTrial>& trials = history();
      trial.relative_space_ = intersection_search_space(trials);
      trial.relative_ = sampler_->sample_relative(StudyView{name_, direction_, trials}, frozen, trial.relative_space_);
    }
    auto rel = trial.relative_->find(name);
    auto rel_dist = trial.relative_space_.find(name);
    if (rel != trial.relative_->end() && rel_dist != trial.relative_space_.end() && rel_dist->second == distribution) {
      internal = rel->second;
    } else if (trial.history_) {
      internal = sampler_->sample_independent(StudyView{name_, direction_, *trial.history_}, frozen, name,
                                               distribution);
    } else {
      internal = sampler_->sample_independent(StudyView{name_, direction_, history()}, frozen, name, distribution);
    }
  }
  storage_.set_trial_param(frozen.trial_id, name, internal, distribution);
  frozen.params[name] = internal;
  frozen.distributions[name] = distribution;
  return distribution.to_external(internal);
}

void Study::tell(Trial& trial, double value) {
  if (std::isnan(value))
    tell(trial.number(), TrialState::Fail);
  else
    tell(trial.number(), TrialState::Complete, value);
  trial.frozen_ = storage_.get_trial(trial.id());
}

void Study::tell(Trial& trial, TrialState state, std::optional<double> value) {
  tell(trial.number(), state, value);
  trial.frozen_ = storage_.get_trial(trial.id());
}

void Study::tell(int trial_number, TrialState state, std::optional<double> value) {
  const auto trial_id = storage_.trial_id_from_number(study_id_, trial_number);
  if (!trial_id) throw Error(fmt::format("study '{}' has no trial number {}", name_, trial_number));
  if (!is_finished(state))
    throw Error(fmt::format("tell: the state must be complete, pruned or fail (got {})", to_string(state)));
  if (state == TrialState::Complete && (!value || std::isnan(*value)))
    throw Error(fmt::format("tell: trial {} needs a value to be COMPLETE", trial_number));
  if (state == TrialState::Fail) value.reset();
  if (state == TrialState::Pruned && !value) {
    const FrozenTrial t = storage_.get_trial(*trial_id);
    if (auto step = t.last_step()) {
      const double last = t.intermediate_values.at(*step);
      if (std::isfinite(last)) value = last;
    }
  }
  if (!storage_.set_trial_state_value(*trial_id, state, value)) {
    const FrozenTrial t = storage_.get_trial(*trial_id);
    throw Error(fmt::format("trial {} of study '{}' is already {}; it cannot be told again", trial_number, name_,
                            to_string(t.state)));
  }
}

bool Study::enqueue_trial(const nlohmann::json& params, const nlohmann::json& user_attrs, bool skip_if_exists) {
  if (!params.is_object()) throw Error("enqueue_trial: params must be a JSON object {\"name\": value, ...}");
  if (skip_if_exists) {
    for (const FrozenTrial& t : history()) {
      const auto fixed = t.system_attrs.find(kFixedParamsKey);
      const nlohmann::json existing = fixed != t.system_attrs.end() ? fixed->second : t.params_json();
      if (!existing.is_object() || existing.size() != params.size()) continue;
      bool same = true;
      for (auto it = params.begin(); it != params.end() && same; ++it)
        same = existing.contains(it.key()) && same_choice(existing.at(it.key()), it.value());
      if (same) return false;
    }
  }
  FrozenTrial waiting;
  waiting.state = TrialState::Waiting;
  waiting.system_attrs[kFixedParamsKey] = params;
  if (user_attrs.is_object())
    for (auto it = user_attrs.begin(); it != user_attrs.end(); ++it) waiting.user_attrs[it.key()] = it.value();
  storage_.create_trial(study_id_, &waiting);
  return true;
}

int Study::optimize(const Objective& objective, std::optional<int> n_trials, std::optional<double> timeout_s,
                    Budget budget) {
  if (n_trials && *n_trials < 0) throw Error(fmt::format("n_trials must be >= 0 (got {})", *n_trials));
  const auto start = std::chrono::steady_clock::now();
  int run = 0;
  while (true) {
    if (n_trials && budget == Budget::ThisCall && run >= *n_trials) break;
    if (timeout_s &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= *timeout_s)
      break;
    if (options_.stop_requested && options_.stop_requested()) break;
    if (sampler_->exhausted(StudyView{name_, direction_, history()})) break;
    // A study-wide budget is checked and taken in one step in the storage, so
    // workers sharing the study never start more trials than it allows.
    std::optional<Trial> started =
        start_trial(n_trials && budget == Budget::StudyTotal ? n_trials : std::nullopt);
    if (!started) break;
    Trial trial = std::move(*started);
    ++run;
    double value = 0.0;
    {
      HeartbeatThread heartbeat(storage_, trial.id(), options_.heartbeat_interval_s);
      try {
        value = objective(trial);
      } catch (const TrialPruned&) {
        tell(trial, TrialState::Pruned);
        continue;
      } catch (...) {
        tell(trial, TrialState::Fail);
        throw;
      }
    }
    tell(trial, value);
  }
  return run;
}

std::optional<FrozenTrial> Study::best_trial() {
  std::optional<FrozenTrial> best;
  for (const FrozenTrial& t : history()) {
    if (t.state != TrialState::Complete || !t.value) continue;
    if (!best || (direction_ == StudyDirection::Minimize ? *t.value < *best->value : *t.value > *best->value))
      best = t;
  }
  return best;
}

std::vector<FrozenTrial> Study::trials() { return history(); }

const std::vector<FrozenTrial>& Study::history() {
  storage_.refresh_trials(study_id_, history_);
  return history_;
}

}  // namespace pelagos::tune
