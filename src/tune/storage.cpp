#include "pelagos/tune/storage.h"

#include "pelagos/error.h"
#include "tune/sqlite_url.h"

namespace pelagos::tune {

Storage::~Storage() = default;

void Storage::refresh_trials(int64_t study_id, std::vector<FrozenTrial>& trials) {
  trials = get_all_trials(study_id);
}

std::unique_ptr<Storage> open_storage(const std::string& url) {
  if (url == "memory" || url == ":memory:") return make_memory_storage();
  if (auto path = sqlite_path_from_url(url)) return make_sqlite_storage(*path);
  throw Error("unsupported storage URL '" + url +
              "'; use sqlite:///path/to/study.db (sqlite:////abs/path for an absolute path) or memory");
}

}  // namespace pelagos::tune
