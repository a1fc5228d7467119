#include "pelagos/tune/distribution.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "tune/decimal.h"

namespace pelagos::tune {
namespace {

using nlohmann::json;

std::string who(const std::string& param_name) {
  return param_name.empty() ? std::string("a distribution") : "parameter '" + param_name + "'";
}

// Optuna's constructor checks, and its silent adjustment of `high` when the
// step does not divide the range (it warns; we do the same without noise).
Distribution checked(Distribution d, const std::string& name) {
  if (d.kind == Distribution::Kind::Categorical) {
    if (d.choices.empty())
      throw Error(who(name) + ": a categorical distribution needs at least one choice");
    for (const json& c : d.choices)
      if (!(c.is_null() || c.is_boolean() || c.is_number() || c.is_string()))
        throw Error(who(name) + ": categorical choices must be null, bool, number or string, got " +
                    c.dump());
    return d;
  }
  if (!std::isfinite(d.low) || !std::isfinite(d.high))
    throw Error(who(name) + ": low and high must be finite numbers");
  if (d.low > d.high)
    throw Error(fmt::format("{}: low ({}) must be <= high ({}); swap them", who(name), d.low, d.high));
  bool is_int = d.kind == Distribution::Kind::Int;
  if (d.log && d.step && !(is_int && *d.step == 1.0))
    throw Error(who(name) + ": step is not supported with log=true; drop the step or the log");
  if (d.log && (is_int ? d.low < 1 : d.low <= 0.0))
    throw Error(fmt::format("{}: a log range needs low {} (got low={}); use a positive range or log=false",
                            who(name), is_int ? ">= 1" : "> 0", d.low));
  if (is_int && !d.step) d.step = 1.0;
  if (d.step) {
    if (!(*d.step > 0.0) || !std::isfinite(*d.step))
      throw Error(fmt::format("{}: step must be positive, got {}", who(name), *d.step));
    if (is_int) {
      // Checked before the casts: a double beyond long long's range does not convert.
      constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
      for (double v : {d.low, d.high, *d.step})
        if (!(std::fabs(v) <= kExactIntegers) || std::trunc(v) != v)
          throw Error(who(name) + ": an int distribution needs integer low, high and step (at most 2^53 in size)");
      auto low = static_cast<long long>(d.low), high = static_cast<long long>(d.high);
      auto step = static_cast<long long>(*d.step);
      d.high = static_cast<double>((high - low) / step * step + low);
    } else if (!decimal::divides(d.low, d.high, *d.step)) {
      const long long steps = decimal::steps_in_range(d.low, d.high, *d.step);
      d.high = decimal::add_steps(d.low, steps, *d.step);
      // low + steps * step may need more than a double's 17 digits (a low of 1e-22 with a step
      // of 0.1): the rounded high would then hold one step fewer, and every reload would
      // shrink the range again. Optuna shrinks it silently; refused here.
      if (decimal::steps_in_range(d.low, d.high, *d.step) != steps)
        throw Error(fmt::format("{}: low ({}) + a multiple of step ({}) cannot be stored as a double; round low "
                                "to the step's precision",
                                who(name), d.low, *d.step));
    }
  }
  return d;
}

double number_attr(const json& attrs, const char* key, const std::string& name) {
  if (!attrs.contains(key) || !attrs.at(key).is_number())
    throw Error(fmt::format("{}: distribution attribute '{}' must be a number", who(name), key));
  return attrs.at(key).get<double>();
}

std::optional<double> optional_number_attr(const json& attrs, const char* key, const std::string& name) {
  if (!attrs.contains(key) || attrs.at(key).is_null()) return std::nullopt;
  return number_attr(attrs, key, name);
}

bool bool_attr(const json& attrs, const char* key, const std::string& name) {
  if (!attrs.contains(key)) return false;
  if (!attrs.at(key).is_boolean())
    throw Error(fmt::format("{}: distribution attribute '{}' must be true or false", who(name), key));
  return attrs.at(key).get<bool>();
}

}  // namespace

// Python equality between choices: 1 == 1.0 == True, NaN equals NaN here (as Optuna's
// _categorical_choice_equal), strings and null only equal themselves.
bool same_choice(const json& a, const json& b) {
  bool a_num = a.is_number() || a.is_boolean(), b_num = b.is_number() || b.is_boolean();
  if (a_num && b_num) {
    double x = a.is_boolean() ? (a.get<bool>() ? 1.0 : 0.0) : a.get<double>();
    double y = b.is_boolean() ? (b.get<bool>() ? 1.0 : 0.0) : b.get<double>();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  return a == b;
}

Distribution Distribution::Float(double low, double high, bool log, std::optional<double> step) {
  Distribution d;
  d.kind = Kind::Float;
  d.low = low;
  d.high = high;
  d.log = log;
  d.step = step;
  return checked(d, "");
}

Distribution Distribution::Int(int64_t low, int64_t high, bool log, int64_t step) {
  Distribution d;
  d.kind = Kind::Int;
  d.low = static_cast<double>(low);
  d.high = static_cast<double>(high);
  d.log = log;
  d.step = static_cast<double>(step);
  return checked(d, "");
}

Distribution Distribution::Categorical(std::vector<nlohmann::json> choices) {
  Distribution d;
  d.kind = Kind::Categorical;
  d.choices = std::move(choices);
  return checked(d, "");
}

Distribution Distribution::from_json(const nlohmann::json& j, const std::string& param_name) {
  if (!j.is_object())
    throw Error(who(param_name) + ": a distribution must be a JSON object, got " + j.dump());
  Distribution d;
  if (j.contains("type")) {  // Optuna's abbreviated CLI form: {"type": "float", "low": ...}
    const std::string type = j.at("type").is_string() ? j.at("type").get<std::string>() : "";
    if (type == "categorical") {
      if (!j.contains("choices") || !j.at("choices").is_array())
        throw Error(who(param_name) + ": a categorical distribution needs a 'choices' array");
      d.kind = Kind::Categorical;
      d.choices = j.at("choices").get<std::vector<json>>();
    } else if (type == "float" || type == "int") {
      d.kind = type == "float" ? Kind::Float : Kind::Int;
      d.low = number_attr(j, "low", param_name);
      d.high = number_attr(j, "high", param_name);
      d.step = optional_number_attr(j, "step", param_name);
      d.log = bool_attr(j, "log", param_name);
    } else {
      throw Error(who(param_name) + ": unknown distribution type " + j.at("type").dump() +
                  "; use float, int or categorical");
    }
    return checked(d, param_name);
  }
  if (!j.contains("name") || !j.at("name").is_string() || !j.contains("attributes") ||
      !j.at("attributes").is_object())
    throw Error(who(param_name) +
                ": a distribution needs {\"name\": ..., \"attributes\": {...}} (Optuna's JSON), got " +
                j.dump());
  const std::string name = j.at("name").get<std::string>();
  const json& a = j.at("attributes");
  if (name == "FloatDistribution" || name == "UniformDistribution" ||
      name == "LogUniformDistribution" || name == "DiscreteUniformDistribution") {
    d.kind = Kind::Float;
    d.low = number_attr(a, "low", param_name);
    d.high = number_attr(a, "high", param_name);
    if (name == "FloatDistribution") {
      d.log = bool_attr(a, "log", param_name);
      d.step = optional_number_attr(a, "step", param_name);
    }
    d.log = d.log || name == "LogUniformDistribution";
    if (name == "DiscreteUniformDistribution") d.step = number_attr(a, "q", param_name);
  } else if (name == "IntDistribution" || name == "IntUniformDistribution" ||
             name == "IntLogUniformDistribution") {
    d.kind = Kind::Int;
    d.low = number_attr(a, "low", param_name);
    d.high = number_attr(a, "high", param_name);
    d.step = optional_number_attr(a, "step", param_name);
    d.log = name == "IntLogUniformDistribution" || (name == "IntDistribution" && bool_attr(a, "log", param_name));
  } else if (name == "CategoricalDistribution") {
    if (!a.contains("choices") || !a.at("choices").is_array())
      throw Error(who(param_name) + ": CategoricalDistribution needs a 'choices' array");
    d.kind = Kind::Categorical;
    d.choices = a.at("choices").get<std::vector<json>>();
  } else {
    throw Error(who(param_name) + ": unknown distribution '" + name +
                "'; use FloatDistribution, IntDistribution or CategoricalDistribution");
  }
  return checked(d, param_name);
}

nlohmann::json Distribution::to_json() const {
  json attrs = json::object();
  switch (kind) {
    case Kind::Float:
      attrs["step"] = step ? json(*step) : json(nullptr);
      attrs["low"] = low;
      attrs["high"] = high;
      attrs["log"] = log;
      return {{"name", "FloatDistribution"}, {"attributes", attrs}};
    case Kind::Int:
      attrs["log"] = log;
      attrs["step"] = static_cast<int64_t>(step.value_or(1.0));
      attrs["low"] = static_cast<int64_t>(low);
      attrs["high"] = static_cast<int64_t>(high);
      return {{"name", "IntDistribution"}, {"attributes", attrs}};
    case Kind::Categorical:
      attrs["choices"] = choices;
      return {{"name", "CategoricalDistribution"}, {"attributes", attrs}};
  }
  return {};
}

double Distribution::to_internal(const nlohmann::json& external) const {
  double v = 0.0;
  if (kind == Kind::Categorical) {
    for (size_t i = 0; i < choices.size(); ++i)
      if (same_choice(external, choices[i])) return static_cast<double>(i);
    throw Error(fmt::format("{} is not one of the choices {}", external.dump(), json(choices).dump()));
  }
  if (external.is_number()) {
    v = external.get<double>();
  } else if (external.is_string()) {  // Python's float("0.5") accepts numeric strings
    const std::string& s = external.get_ref<const std::string&>();
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size())
      throw Error(fmt::format("{} is not a number", external.dump()));
  } else {
    throw Error(fmt::format("{} is not a number", external.dump()));
  }
  if (!contains(v))
    throw Error(fmt::format("{} is outside {}", external.dump(), to_json()["attributes"].dump()));
  return v;
}

nlohmann::json Distribution::to_external(double internal) const {
  switch (kind) {
    case Kind::Float: return internal;
    case Kind::Int: return static_cast<int64_t>(std::llround(internal));
    case Kind::Categorical: return choices.at(static_cast<size_t>(internal));
  }
  return {};
}

bool Distribution::contains(double v) const {
  if (std::isnan(v)) return false;
  if (kind == Kind::Categorical) {
    auto index = static_cast<long long>(v);
    return index >= 0 && index < static_cast<long long>(choices.size());
  }
  if (v < low || v > high) return false;
  if (kind == Kind::Int) return std::fmod(v - low, *step) == 0.0;
  if (!step) return true;
  double k = (v - low) / *step;
  return std::abs(k - std::round(k)) < 1e-8;
}

bool Distribution::single() const {
  switch (kind) {
    case Kind::Categorical: return choices.size() == 1;
    case Kind::Int: return low == high || (!log && high - low < *step);
    case Kind::Float:
      if (low == high) return true;
      return step && decimal::steps_in_range(low, high, *step) == 0;
  }
  return false;
}

bool Distribution::operator==(const Distribution& other) const {
  if (kind != other.kind) return false;
  if (kind == Kind::Categorical) {
    if (choices.size() != other.choices.size()) return false;
    for (size_t i = 0; i < choices.size(); ++i)
      if (!same_choice(choices[i], other.choices[i])) return false;
    return true;
  }
  return low == other.low && high == other.high && log == other.log && step == other.step;
}

SearchSpace search_space_from_json(const nlohmann::json& j) {
  if (!j.is_object())
    throw Error("a search space must be a JSON object {\"param\": distribution, ...}, got " + j.dump());
  SearchSpace space;
  for (auto it = j.begin(); it != j.end(); ++it) {
    json dist = it.value();
    if (dist.is_string()) {  // Optuna's distribution_to_json strings
      try {
        dist = json::parse(dist.get<std::string>());
      } catch (const json::parse_error& e) {
        throw Error(who(it.key()) + ": the distribution string is not JSON: " + e.what());
      }
    }
    space.emplace(it.key(), Distribution::from_json(dist, it.key()));
  }
  return space;
}

nlohmann::json search_space_to_json(const SearchSpace& space) {
  json j = json::object();
  for (const auto& [name, dist] : space) j[name] = dist.to_json();
  return j;
}

}  // namespace pelagos::tune
