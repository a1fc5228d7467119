#include "tune/optuna_sql_values.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <unordered_map>

#include "pelagos/error.h"
#include "util/python_json.h"

namespace pelagos::tune::optuna_sql {

std::string format_datetime(Clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}.{:06d}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

namespace {
// mktime re-reads the time zone (a stat of /etc/localtime) on every call,
// which dominated loading a long study; the zone offset is fixed within an
// hour, so convert each distinct hour once.
std::time_t local_to_time_t(std::tm tm) {
  thread_local std::unordered_map<int64_t, std::time_t> hour_start;
  const int64_t key = ((int64_t(tm.tm_year) * 13 + tm.tm_mon) * 32 + tm.tm_mday) * 24 + tm.tm_hour;
  auto it = hour_start.find(key);
  if (it == hour_start.end()) {
    std::tm h = tm;
    h.tm_min = 0;
    h.tm_sec = 0;
    it = hour_start.emplace(key, std::mktime(&h)).first;
  }
  return it->second + tm.tm_min * 60 + tm.tm_sec;
}

// "YYYY-MM-DD?HH:MM:SS" with every digit in place, as Optuna and pelagos write
// it: read without sscanf, which cost more than the rest of loading a trial.
bool parse_canonical(const std::string& text, std::tm& tm, char& sep) {
  if (text.size() < 19) return false;
  for (size_t i : {4, 7}) {
    if (text[i] != '-') return false;
  }
  for (size_t i : {13, 16}) {
    if (text[i] != ':') return false;
  }
  auto digits = [&](size_t at, size_t len, int& out) {
    out = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  sep = text[10];
  return digits(0, 4, tm.tm_year) && digits(5, 2, tm.tm_mon) && digits(8, 2, tm.tm_mday) &&
         digits(11, 2, tm.tm_hour) && digits(14, 2, tm.tm_min) && digits(17, 2, tm.tm_sec);
}
}  // namespace

Clock::time_point parse_datetime(const std::string& text, bool utc) {
  std::tm tm{};
  char sep = ' ';
  int consumed = 19;
  int n = 7;
  if (!parse_canonical(text, tm, sep)) {
    tm = std::tm{};
    n = std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &sep,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed);
  }
  if (n != 7 || (sep != ' ' && sep != 'T'))
    throw Error(fmt::format("unreadable datetime '{}' in the study database (expected YYYY-MM-DD HH:MM:SS[.ffffff])",
                            text));
  int64_t micros = 0;
  if (static_cast<size_t>(consumed) < text.size() && text[static_cast<size_t>(consumed)] == '.') {
    int64_t scale = 100000;
    for (size_t i = static_cast<size_t>(consumed) + 1; i < text.size() && scale > 0; ++i, scale /= 10) {
      if (text[i] < '0' || text[i] > '9') break;
      micros += (text[i] - '0') * scale;
    }
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  const std::time_t secs = utc ? timegm(&tm) : local_to_time_t(tm);
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(secs) +
                                                                       std::chrono::microseconds(micros)));
}

namespace {
StoredValue to_stored(double v) {
  if (std::isnan(v)) return {std::nullopt, "NAN"};
  if (std::isinf(v)) return {std::nullopt, v > 0 ? "INF_POS" : "INF_NEG"};
  return {v, "FINITE"};
}
}  // namespace

StoredValue objective_to_stored(double v) {
  if (std::isnan(v))
    throw Error("an objective value is NaN; report the trial as failed (--state fail) instead");
  return to_stored(v);
}

StoredValue intermediate_to_stored(double v) { return to_stored(v); }

double from_stored(const std::optional<double>& value, const std::string& type) {
  if (type == "FINITE") {
    if (!value) throw Error("a FINITE value in the study database is NULL; the file is inconsistent");
    return *value;
  }
  if (type == "INF_POS") return HUGE_VAL;
  if (type == "INF_NEG") return -HUGE_VAL;
  if (type == "NAN") return std::nan("");
  throw Error(fmt::format("unknown value type '{}' in the study database (expected FINITE, INF_POS, INF_NEG or NAN)",
                          type));
}

std::string distribution_to_json_text(const Distribution& d) {
  const nlohmann::json j = d.to_json();
  const nlohmann::json& attrs = j.at("attributes");
  // optuna.distributions.distribution_to_json dumps __dict__, i.e. the
  // attributes in the order each __init__ assigns them.
  static const char* const kFloat[] = {"step", "low", "high", "log"};
  static const char* const kInt[] = {"log", "step", "low", "high"};
  std::string out = fmt::format("{{\"name\": {}, \"attributes\": {{", j.at("name").dump());
  auto emit = [&](const char* const* keys, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ", ";
      out += fmt::format("\"{}\": {}", keys[i], python_json_dumps(attrs.at(keys[i])));
    }
  };
  switch (d.kind) {
    case Distribution::Kind::Float:
      emit(kFloat, 4);
      break;
    case Distribution::Kind::Int:
      emit(kInt, 4);
      break;
    case Distribution::Kind::Categorical:
      out += "\"choices\": " + python_json_dumps(attrs.at("choices"));
      break;
  }
  return out + "}}";
}

std::string attr_to_json_text(const nlohmann::json& value) { return python_json_dumps(value); }

nlohmann::json attr_from_json_text(const std::string& text, const std::string& what) {
  nlohmann::json j = python_json_loads(text);
  if (j.is_discarded())
    throw Error(fmt::format("{} in the study database is not valid JSON: {}", what, text.substr(0, 200)));
  return j;
}

}  // namespace pelagos::tune::optuna_sql
