#include "pelagos/tune/storage.h"

#include "pelagos/error.h"

namespace pelagos::tune {

Storage::~Storage() = default;

std::unique_ptr<Storage> open_storage(const std::string& url) {
  if (url == "memory" || url == ":memory:") return make_memory_storage();
  const std::string sqlite_prefix = "sqlite:///";
  if (url.rfind(sqlite_prefix, 0) == 0) {
    std::string path = url.substr(sqlite_prefix.size());
    if (path.empty())
      throw Error("storage URL '" + url + "' names no database file; use sqlite:///path/to/study.db");
    return make_sqlite_storage(path);
  }
  throw Error("unsupported storage URL '" + url +
              "'; use sqlite:///path/to/study.db (sqlite:////abs/path for an absolute path) or memory");
}

}  // namespace pelagos::tune
