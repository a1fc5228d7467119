#include "pelagos/tune/trial.h"

#include <algorithm>
#include <cctype>

#include "pelagos/error.h"

namespace pelagos::tune {

namespace {
std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}
constexpr TrialState kAllStates[] = {TrialState::Running, TrialState::Complete, TrialState::Pruned,
                                     TrialState::Fail, TrialState::Waiting};
}  // namespace

const char* to_string(TrialState state) {
  switch (state) {
    case TrialState::Running: return "RUNNING";
    case TrialState::Complete: return "COMPLETE";
    case TrialState::Pruned: return "PRUNED";
    case TrialState::Fail: return "FAIL";
    case TrialState::Waiting: return "WAITING";
  }
  return "?";
}

TrialState trial_state_from_string(const std::string& name) {
  const std::string wanted = upper(name);
  for (TrialState s : kAllStates)
    if (wanted == to_string(s)) return s;
  throw Error("unknown trial state '" + name + "'; use running, complete, pruned, fail or waiting");
}

bool is_finished(TrialState state) {
  return state == TrialState::Complete || state == TrialState::Pruned || state == TrialState::Fail;
}

const char* to_string(StudyDirection direction) {
  return direction == StudyDirection::Maximize ? "MAXIMIZE" : "MINIMIZE";
}

StudyDirection study_direction_from_string(const std::string& name) {
  const std::string wanted = upper(name);
  if (wanted == "MINIMIZE") return StudyDirection::Minimize;
  if (wanted == "MAXIMIZE") return StudyDirection::Maximize;
  throw Error("unknown study direction '" + name + "'; use minimize or maximize");
}

nlohmann::json FrozenTrial::param(const std::string& name) const {
  auto found = params.find(name);
  auto dist = distributions.find(name);
  if (found == params.end() || dist == distributions.end())
    throw Error("trial " + std::to_string(number) + " has no parameter '" + name + "'");
  return dist->second.to_external(found->second);
}

nlohmann::json FrozenTrial::params_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, internal] : params) j[name] = distributions.at(name).to_external(internal);
  return j;
}

std::optional<int64_t> FrozenTrial::last_step() const {
  if (intermediate_values.empty()) return std::nullopt;
  return intermediate_values.rbegin()->first;
}

}  // namespace pelagos::tune
