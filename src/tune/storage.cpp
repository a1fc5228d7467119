#include "pelagos/tune/storage.h"

#include "pelagos/error.h"
#include "tune/pg_db.h"
#include "tune/sqlite_url.h"

namespace pelagos::tune {

Storage::~Storage() = default;

void Storage::refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials) {
  trials = get_all_trials(study_id);
}

std::optional<FrozenTrial> Storage::start_trial_within(int64_t study_id, int limit) {
  if (count_trials(study_id) - count_trials(study_id, TrialState::Waiting) >= limit) return std::nullopt;
  if (auto t = claim_waiting_trial(study_id)) return t;
  return create_trial(study_id);
}

std::string redact_storage_url(const std::string& url) { return sql::redact_url(url); }

std::unique_ptr<Storage> open_storage(const std::string& url) {
  if (url == "memory" || url == ":memory:") return make_memory_storage();
  if (auto path = sqlite_path_from_url(url)) return make_sqlite_storage(*path);
  if (sql::postgres_target_from_url(url)) return make_postgres_storage(url);
  throw Error("unsupported storage URL '" + sql::redact_url(url) +
              "'; use sqlite:///path/to/study.db (sqlite:////abs/path for an absolute path), "
              "postgresql://user@host:port/database or memory");
}

}  // namespace pelagos::tune
