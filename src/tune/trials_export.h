// A study's trials as text: CSV with the columns of Optuna 3.1's
// Study.trials_dataframe() (number, value, datetime_start, datetime_complete,
// duration, params_*, user_attrs_*, system_attrs_*, state; each group sorted
// by name), JSON, and an aligned table for terminals.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pelagos/tune/trial.h"

namespace pelagos::tune {

std::string trials_to_csv(const std::vector<FrozenTrial>& trials);
// {"number", "state", "value", "datetime_start", "datetime_complete",
//  "duration_s", "params", "distributions", "intermediate_values",
//  "user_attrs", "system_attrs"}; non-finite values as "inf"/"-inf"/"nan" strings.
nlohmann::json trial_to_json(const FrozenTrial& trial);
nlohmann::json trials_to_json(const std::string& study_name, StudyDirection direction,
                              const std::vector<FrozenTrial>& trials);
std::string trials_to_table(const std::vector<FrozenTrial>& trials);

}  // namespace pelagos::tune
