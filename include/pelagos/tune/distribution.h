// Search-space distributions, as Optuna defines them (FloatDistribution,
// IntDistribution, CategoricalDistribution) and serialises them to JSON.
// Values travel in two forms, as in Optuna: the *external* value the user sees
// (a JSON number or a categorical choice) and the *internal* double that
// storages and samplers use (the value itself, or the choice's index).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pelagos::tune {

struct Distribution {
  enum class Kind { Float, Int, Categorical };
  Kind kind = Kind::Float;
  double low = 0.0;
  double high = 0.0;
  std::optional<double> step;              // Float: optional; Int: always set (default 1)
  bool log = false;
  std::vector<nlohmann::json> choices;     // Categorical only

  static Distribution Float(double low, double high, bool log = false, std::optional<double> step = {});
  static Distribution Int(int64_t low, int64_t high, bool log = false, int64_t step = 1);
  static Distribution Categorical(std::vector<nlohmann::json> choices);

  // Optuna's JSON: {"name": "FloatDistribution", "attributes": {...}}. Also
  // accepts the legacy names (UniformDistribution, LogUniformDistribution,
  // DiscreteUniformDistribution, IntUniformDistribution, IntLogUniformDistribution).
  static Distribution from_json(const nlohmann::json& j, const std::string& param_name);
  nlohmann::json to_json() const;

  double to_internal(const nlohmann::json& external) const;  // throws pelagos::Error if not contained
  nlohmann::json to_external(double internal) const;
  bool contains(double internal) const;
  bool single() const;  // only one possible value
  bool operator==(const Distribution& other) const;
  bool operator!=(const Distribution& other) const { return !(*this == other); }
};

// Python's == between two choices (1 == 1.0 == true), with NaN equal to NaN,
// as Optuna compares categorical choices and grid values.
bool same_choice(const nlohmann::json& a, const nlohmann::json& b);

// Parameter name -> distribution, in a stable (sorted) order.
using SearchSpace = std::map<std::string, Distribution>;

// {"name": {"name": "FloatDistribution", "attributes": {...}}, ...}
SearchSpace search_space_from_json(const nlohmann::json& j);
nlohmann::json search_space_to_json(const SearchSpace& space);

}  // namespace pelagos::tune
