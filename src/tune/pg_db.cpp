#include "tune/pg_db.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "util/companion_library.h"

namespace pelagos::tune::sql {

std::string redact_url(const std::string& url) {
  std::string out = url;
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = out.find_first_of("/?", start);
    const size_t at = out.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t v = p + 9;
    const size_t e = out.find_first_of("& ", v);
    out.replace(v, (e == std::string::npos ? out.size() : e) - v, "***");
  }
  return out;
}

std::optional<PgTarget> postgres_target_from_url(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  std::string scheme = url.substr(0, scheme_end);
  const size_t plus = scheme.find('+');  // SQLAlchemy's driver: postgresql+psycopg2
  if (plus != std::string::npos) scheme.resize(plus);
  if (scheme != "postgresql" && scheme != "postgres") return std::nullopt;
  return PgTarget{"postgresql" + url.substr(scheme_end), redact_url(url)};
}

std::string dollar_placeholders(const char* sql) {
  std::string out;
  int next = 0;
  bool quoted = false;
  for (const char* p = sql; *p; ++p) {
    if (*p == '\'') quoted = !quoted;
    if (quoted || *p != '?') {
      out += *p;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(p[1]))) {
      out += '$';  // ?N: the digits follow as they are
      continue;
    }
    out += '$' + std::to_string(++next);
  }
  return out;
}

double db_retry_seconds() {
  const char* env = std::getenv("PELAGOS_DB_RETRY_SECONDS");
  if (!env || !*env) return 60.0;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  if (*end || !(v >= 0))
    throw Error(fmt::format("PELAGOS_DB_RETRY_SECONDS='{}' is not a number of seconds >= 0", env));
  return v;
}

// libpq lives in libpelagos_postgres.so (tune/postgres/pg_engine.cpp), opened here on first use.
std::unique_ptr<Db> open_postgres(const PgTarget& target, double retry_seconds) {
  using Open = Db* (*)(const PgTarget*, double);
  auto open = reinterpret_cast<Open>(companion_symbol("libpelagos_postgres.so", "PELAGOS_POSTGRES_LIBRARY",
                                                      "the PostgreSQL storage of pelagos", "pelagos_open_postgres"));
  if (!open) throw Error("libpelagos_postgres.so has no pelagos_open_postgres; reinstall pelagos");
  return std::unique_ptr<Db>(open(&target, retry_seconds));
}

}  // namespace pelagos::tune::sql
