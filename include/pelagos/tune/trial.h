// Trials as Optuna records them.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pelagos/tune/distribution.h"

namespace pelagos::tune {

// Same names and integer values as optuna.trial.TrialState (stored as names in SQL).
enum class TrialState { Running = 0, Complete = 1, Pruned = 2, Fail = 3, Waiting = 4 };
const char* to_string(TrialState state);  // "RUNNING", "COMPLETE", ...
TrialState trial_state_from_string(const std::string& name);
bool is_finished(TrialState state);

enum class StudyDirection { Minimize = 1, Maximize = 2 };  // optuna.study.StudyDirection values
const char* to_string(StudyDirection direction);           // "MINIMIZE" / "MAXIMIZE"
// Accepts "minimize"/"maximize" in any case; throws pelagos::Error otherwise.
StudyDirection study_direction_from_string(const std::string& name);

using Clock = std::chrono::system_clock;

struct FrozenTrial {
  int64_t trial_id = -1;   // storage-wide id
  int number = -1;         // 0-based within the study
  TrialState state = TrialState::Running;
  std::optional<double> value;
  std::map<std::string, double> params;  // internal representation
  std::map<std::string, Distribution> distributions;
  std::map<int64_t, double> intermediate_values;  // step -> value
  std::map<std::string, nlohmann::json> user_attrs;
  std::map<std::string, nlohmann::json> system_attrs;
  std::optional<Clock::time_point> datetime_start;
  std::optional<Clock::time_point> datetime_complete;

  // External (user-facing) value of a parameter; throws if absent.
  nlohmann::json param(const std::string& name) const;
  nlohmann::json params_json() const;  // {"name": external value, ...}
  // Largest step with an intermediate value (Optuna's FrozenTrial.last_step).
  std::optional<int64_t> last_step() const;
};

struct StudySummary {
  int64_t study_id = -1;
  std::string name;
  StudyDirection direction = StudyDirection::Minimize;
  int n_trials = 0;
  std::optional<FrozenTrial> best_trial;
  std::optional<Clock::time_point> datetime_start;
};

}  // namespace pelagos::tune
