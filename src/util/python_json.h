// JSON text as Python's json.dumps writes it with its defaults: ", " and ": "
// separators, non-ASCII escaped as \uXXXX, NaN/Infinity/-Infinity for
// non-finite floats. Optuna stores attributes and distributions in this form,
// so files written by pelagos read (and diff) like Optuna's own.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace pelagos {

std::string python_json_dumps(const nlohmann::json& value);

// Parses JSON that Python may have written: Infinity/-Infinity become +/-inf,
// NaN becomes null (nlohmann::json has no NaN literal). Returns a discarded
// value (is_discarded()) when the text is not JSON.
nlohmann::json python_json_loads(const std::string& text);

}  // namespace pelagos
