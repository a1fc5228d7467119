#include "tune/sqlite_url.h"

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos::tune {

std::optional<std::string> sqlite_path_from_url(const std::string& url) {
  const std::string scheme = "sqlite:";
  if (url.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  auto bad = [&](const std::string& why) {
    return Error(fmt::format("storage URL '{}' {}. Use sqlite:///relative/path.db, sqlite:////absolute/path.db "
                             "or sqlite:///:memory: (Optuna's forms).",
                             url, why));
  };
  if (url == "sqlite://" || url == "sqlite:///:memory:") return std::string(":memory:");
  const std::string prefix = "sqlite:///";
  if (url.compare(0, prefix.size(), prefix) != 0) {
    if (url.compare(0, 9, "sqlite://") == 0) throw bad("names a host; SQLite files are local");
    throw bad("is missing the three slashes after 'sqlite:'");
  }
  const std::string path = url.substr(prefix.size());
  if (path.empty()) return std::string(":memory:");
  if (path.find('?') != std::string::npos) throw bad("has query parameters, which pelagos does not support");
  return path;
}

}  // namespace pelagos::tune
