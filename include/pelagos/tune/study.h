// A study: the optimisation loop over one storage, as optuna.Study. Ask/tell
// for external loops (the `pelagos study ask/tell` CLI, one process per call),
// define-by-run suggest_* on a Trial handle, and optimize() for in-process
// objectives, with pruning, enqueued trials and heartbeats.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/tune/pruner.h"
#include "pelagos/tune/sampler.h"
#include "pelagos/tune/storage.h"

namespace pelagos::tune {

// Thrown by an objective to end its trial as PRUNED (optuna.TrialPruned).
class TrialPruned : public std::runtime_error {
 public:
  TrialPruned();
  ~TrialPruned() override;
};

struct StudyOptions {
  // > 0: optimize() records a heartbeat this often while a trial runs, and
  // ask()/optimize() first fail RUNNING trials whose heartbeat is older than
  // the grace period (a worker that died). 0 turns both off.
  double heartbeat_interval_s = 0.0;
  std::optional<double> grace_period_s;  // default: 2 x the interval (Optuna)
  // Checked before each trial starts: true ends optimize() (e.g. after Ctrl-C).
  std::function<bool()> stop_requested;
};

// How optimize() counts n_trials.
enum class Budget {
  ThisCall,    // trials this call runs (Optuna's n_trials)
  StudyTotal,  // until the study holds n_trials trials that are finished or running
               // (shared budget for several workers on one storage)
};

class Study;

// A running trial. Values suggested here are stored at once.
class Trial {
 public:
  int number() const { return frozen_.number; }
  int64_t id() const { return frozen_.trial_id; }
  const FrozenTrial& frozen() const { return frozen_; }

  double suggest_float(const std::string& name, double low, double high, bool log = false,
                       std::optional<double> step = std::nullopt);
  int64_t suggest_int(const std::string& name, int64_t low, int64_t high, int64_t step = 1, bool log = false);
  nlohmann::json suggest_categorical(const std::string& name, std::vector<nlohmann::json> choices);
  // The external value for `name` under `distribution`: an enqueued (fixed)
  // value, one already suggested, or a fresh sample.
  nlohmann::json suggest(const std::string& name, const Distribution& distribution);
  nlohmann::json params() const { return frozen_.params_json(); }

  void report(int64_t step, double value);
  bool should_prune();
  void set_user_attr(const std::string& key, const nlohmann::json& value);

 private:
  friend class Study;
  Trial(Study* study, FrozenTrial frozen) : study_(study), frozen_(std::move(frozen)) {}

  Study* study_;
  FrozenTrial frozen_;
  std::optional<std::map<std::string, double>> relative_;  // joint sample, drawn at the first suggest
  SearchSpace relative_space_;
  // The study's trials as ask(space) read them once for all its parameters.
  const std::vector<FrozenTrial>* history_ = nullptr;
};

class Study {
 public:
  using Objective = std::function<double(Trial&)>;

  // One Study object per thread; parallel workers each open their own on a
  // shared storage. Loads the study `name` from `storage` (which must outlive the Study), or
  // creates it with `direction`. Loading a study with the other direction
  // throws pelagos::Error; no direction means "as stored" (MINIMIZE for a
  // new study, Optuna's default). Null sampler: TPESampler; null pruner: MedianPruner.
  Study(Storage& storage, const std::string& name, std::optional<StudyDirection> direction,
        std::unique_ptr<Sampler> sampler = nullptr, std::unique_ptr<Pruner> pruner = nullptr,
        StudyOptions options = {});
  ~Study();
  Study(const Study&) = delete;
  Study& operator=(const Study&) = delete;

  // A new RUNNING trial: the oldest WAITING (enqueued) trial if there is one,
  // else a fresh one. With a space, every parameter is suggested at once.
  Trial ask();
  Trial ask(const SearchSpace& space);

  // Finishes the trial: COMPLETE with the value (a NaN value makes it FAIL),
  // or the given state (PRUNED takes the last intermediate value). Throws
  // pelagos::Error if the trial is already finished.
  void tell(Trial& trial, double value);
  void tell(Trial& trial, TrialState state, std::optional<double> value = std::nullopt);
  void tell(int trial_number, TrialState state, std::optional<double> value = std::nullopt);

  // A WAITING trial whose parameters are fixed to `params` ({"name": external value});
  // the next ask() claims it (Optuna's enqueue_trial; stored as "fixed_params").
  // With skip_if_exists, nothing is enqueued when a trial of the study already
  // has (or is queued with) exactly these values; returns whether it enqueued.
  bool enqueue_trial(const nlohmann::json& params, const nlohmann::json& user_attrs = nlohmann::json::object(),
                     bool skip_if_exists = false);

  // Runs the objective until n_trials (see Budget) or the timeout, whichever
  // comes first; nullopt means no limit on that side. An objective that throws
  // TrialPruned ends its trial PRUNED; any other exception marks it FAIL and is
  // rethrown (Optuna's default catch=()). Returns the number of trials run.
  int optimize(const Objective& objective, std::optional<int> n_trials,
               std::optional<double> timeout_s = std::nullopt, Budget budget = Budget::ThisCall);

  std::optional<FrozenTrial> best_trial();
  std::vector<FrozenTrial> trials();
  int64_t id() const { return study_id_; }
  const std::string& name() const { return name_; }
  StudyDirection direction() const { return direction_; }
  Storage& storage() { return storage_; }
  Sampler& sampler() { return *sampler_; }
  // Fails RUNNING trials whose heartbeat is stale; returns their numbers.
  // A no-op (empty) without heartbeats.
  std::vector<int> fail_stale_trials();

 private:
  friend class Trial;
  Trial start_trial();
  // With a study budget: nullopt once the study holds that many started trials.
  std::optional<Trial> start_trial(std::optional<int> study_budget);
  nlohmann::json sample_param(Trial& trial, const std::string& name, const Distribution& distribution);
  // The study's trials, refreshed from the storage (finished ones are cached).
  const std::vector<FrozenTrial>& history();
  // Writes the system attrs `after` added or changed relative to `before`.
  void store_new_system_attrs(const FrozenTrial& before, const FrozenTrial& after);

  Storage& storage_;
  std::string name_;
  StudyDirection direction_;
  int64_t study_id_ = -1;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<Pruner> pruner_;
  StudyOptions options_;
  std::vector<FrozenTrial> history_;
};

}  // namespace pelagos::tune
