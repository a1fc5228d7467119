// How Optuna's relational storage (optuna/storages/_rdb/models.py, 3.1)
// writes values into SQL columns: datetimes as SQLAlchemy's SQLite DATETIME
// text in local time, objective and intermediate values split into a FLOAT
// column plus a type tag (non-finite values are NULL + INF_POS/INF_NEG/NAN),
// attributes and distributions as json.dumps text.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pelagos/tune/distribution.h"
#include "pelagos/tune/trial.h"

namespace pelagos::tune::optuna_sql {

// "2026-11-25 14:32:24.849272": datetime.now() (local, naive) as SQLAlchemy stores it.
std::string format_datetime(Clock::time_point t);
// Also accepts the seconds-only form ("2026-11-25 14:32:38") and a 'T' separator.
// `utc` reads the text as UTC (trial_heartbeats holds SQLite's CURRENT_TIMESTAMP).
Clock::time_point parse_datetime(const std::string& text, bool utc = false);

struct StoredValue {
  std::optional<double> value;  // NULL for the non-finite ones
  const char* type;             // FINITE, INF_POS, INF_NEG, NAN
};
// trial_values.value_type has no NAN: a NaN objective throws pelagos::Error.
StoredValue objective_to_stored(double v);
StoredValue intermediate_to_stored(double v);
double from_stored(const std::optional<double>& value, const std::string& type);

// distribution_to_json(): Optuna's attribute order, json.dumps formatting.
std::string distribution_to_json_text(const Distribution& d);
// Attribute values (json.dumps / json.loads); `what` names the attribute in errors.
std::string attr_to_json_text(const nlohmann::json& value);
nlohmann::json attr_from_json_text(const std::string& text, const std::string& what);

}  // namespace pelagos::tune::optuna_sql
