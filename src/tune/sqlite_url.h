// Optuna's SQLite storage URLs (SQLAlchemy form): sqlite:///relative/path.db,
// sqlite:////absolute/path.db, sqlite:///:memory: (or sqlite://).
#pragma once
#include <optional>
#include <string>

namespace pelagos::tune {

// The database path inside a sqlite URL (":memory:" for an in-memory one);
// nullopt when `url` is not a sqlite URL at all. Throws pelagos::Error for a
// malformed sqlite URL, naming it and showing the accepted forms.
std::optional<std::string> sqlite_path_from_url(const std::string& url);

}  // namespace pelagos::tune
