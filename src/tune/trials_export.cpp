#include "tune/trials_export.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "tune/optuna_sql_values.h"

namespace pelagos::tune {
namespace {

// A float as pandas writes it (Python repr: shortest round trip, inf/-inf/nan).
std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return nlohmann::json(v).dump();
}

// A cell value as text: strings bare, None empty, bools as Python prints them.
std::string cell_text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number_float()) return number_text(v.get<double>());
  return v.dump();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string datetime_text(const std::optional<Clock::time_point>& t) {
  return t ? optuna_sql::format_datetime(*t) : "";
}

// pandas' Timedelta: "0 days 00:00:01.500000".
std::string duration_text(const FrozenTrial& t) {
  if (!t.datetime_start || !t.datetime_complete) return "";
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(*t.datetime_complete - *t.datetime_start).count();
  const bool negative = us < 0;
  if (negative) us = -us;
  const int64_t days = us / 86400000000LL;
  us %= 86400000000LL;
  return fmt::format("{}{} days {:02d}:{:02d}:{:02d}.{:06d}", negative ? "-" : "", days, us / 3600000000LL,
                     us / 60000000LL % 60, us / 1000000LL % 60, us % 1000000LL);
}

std::optional<double> duration_s(const FrozenTrial& t) {
  if (!t.datetime_start || !t.datetime_complete) return std::nullopt;
  return std::chrono::duration<double>(*t.datetime_complete - *t.datetime_start).count();
}

nlohmann::json value_json(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(number_text(v)); }

template <typename Map>
std::set<std::string> keys_of(const std::vector<FrozenTrial>& trials, Map FrozenTrial::*member) {
  std::set<std::string> keys;
  for (const auto& t : trials)
    for (const auto& kv : t.*member) keys.insert(kv.first);
  return keys;
}

std::string lookup(const std::map<std::string, nlohmann::json>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? "" : cell_text(it->second);
}

}  // namespace

std::string trials_to_csv(const std::vector<FrozenTrial>& trials) {
  const auto params = keys_of(trials, &FrozenTrial::params);
  const auto user = keys_of(trials, &FrozenTrial::user_attrs);
  const auto system = keys_of(trials, &FrozenTrial::system_attrs);
  std::vector<std::string> header{"number", "value", "datetime_start", "datetime_complete", "duration"};
  for (const auto& k : params) header.push_back("params_" + k);
  for (const auto& k : user) header.push_back("user_attrs_" + k);
  for (const auto& k : system) header.push_back("system_attrs_" + k);
  header.push_back("state");
  std::string out;
  auto emit_row = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += csv_field(cells[i]);
    }
    out += '\n';
  };
  emit_row(header);
  for (const auto& t : trials) {
    std::vector<std::string> row{std::to_string(t.number), t.value ? number_text(*t.value) : "",
                                 datetime_text(t.datetime_start), datetime_text(t.datetime_complete),
                                 duration_text(t)};
    for (const auto& k : params) row.push_back(t.params.count(k) ? cell_text(t.param(k)) : "");
    for (const auto& k : user) row.push_back(lookup(t.user_attrs, k));
    for (const auto& k : system) row.push_back(lookup(t.system_attrs, k));
    row.push_back(to_string(t.state));
    emit_row(row);
  }
  return out;
}

nlohmann::json trial_to_json(const FrozenTrial& t) {
  nlohmann::json j;
  j["number"] = t.number;
  j["state"] = to_string(t.state);
  j["value"] = t.value ? value_json(*t.value) : nlohmann::json();
  j["datetime_start"] = t.datetime_start ? nlohmann::json(datetime_text(t.datetime_start)) : nlohmann::json();
  j["datetime_complete"] =
      t.datetime_complete ? nlohmann::json(datetime_text(t.datetime_complete)) : nlohmann::json();
  const auto d = duration_s(t);
  j["duration_s"] = d ? nlohmann::json(*d) : nlohmann::json();
  j["params"] = t.params_json();
  nlohmann::json dists = nlohmann::json::object();
  for (const auto& [name, dist] : t.distributions) dists[name] = dist.to_json();
  j["distributions"] = dists;
  nlohmann::json inter = nlohmann::json::object();
  for (const auto& [step, v] : t.intermediate_values) inter[std::to_string(step)] = value_json(v);
  j["intermediate_values"] = inter;
  j["user_attrs"] = nlohmann::json(t.user_attrs);
  j["system_attrs"] = nlohmann::json(t.system_attrs);
  return j;
}

nlohmann::json trials_to_json(const std::string& study_name, StudyDirection direction,
                              const std::vector<FrozenTrial>& trials) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : trials) list.push_back(trial_to_json(t));
  return {{"study_name", study_name}, {"direction", to_string(direction)}, {"trials", list}};
}

std::string trials_to_table(const std::vector<FrozenTrial>& trials) {
  std::vector<std::vector<std::string>> rows{{"number", "state", "value", "duration", "params"}};
  for (const auto& t : trials) {
    const auto d = duration_s(t);
    rows.push_back({std::to_string(t.number), to_string(t.state), t.value ? number_text(*t.value) : "-",
                    d ? fmt::format("{:.3f}s", *d) : "-", t.params_json().dump()});
  }
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      // Left-align the last column so long params do not pad the others.
      out += i + 1 < r.size() ? fmt::format("{:<{}}  ", r[i], width[i]) : r[i];
    }
    out += '\n';
  }
  return out;
}

}  // namespace pelagos::tune
