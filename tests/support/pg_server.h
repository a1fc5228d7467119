// A private PostgreSQL server for one test: initdb into a temporary folder,
// postgres on a free loopback port (its unix socket in that folder too),
// stopped and removed when the object goes, also when the test fails.
// Debian's binaries live in /usr/lib/postgresql/<version>/bin (not on PATH);
// PELAGOS_PG_BIN overrides. initdb refuses to run as root, so as root (CI)
// the server runs as the `postgres` user that Debian's package creates
// (`nobody` otherwise), with the folder chowned to it.
#pragma once
#include <string>

#include "support/test_support.h"

namespace pelagos::test {

class PgServer {
 public:
  PgServer();  // starts it; on failure, ok() is false and error() says why
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The folder with initdb, pg_ctl, postgres; "" when not installed.
  static const std::string& bin_dir();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // Creates database `name` and returns its URL (user pelagos, no password: trust).
  std::string create_database(const std::string& name);
  // Fast shutdown (every session is cut, as on a server restart) and start again.
  void restart();

 private:
  std::string as_server_user(const std::string& command) const;
  bool pg_ctl(const std::string& args);
  TempDir dir_;
  std::string user_;  // non-empty when running as root
  int port_ = 0;
  std::string error_;
  bool started_ = false;
};

// optuna_python() when it can also import psycopg2 (Optuna's PostgreSQL
// driver, Debian's python3-psycopg2), else "".
const std::string& optuna_postgres_python();

// Skips the current test when PostgreSQL's server binaries are absent.
#define PELAGOS_REQUIRE_POSTGRES_SERVER(server)                                               \
  do {                                                                                        \
    if (::pelagos::test::PgServer::bin_dir().empty())                                         \
      GTEST_SKIP() << "PostgreSQL's server binaries are not installed (apt-get install "      \
                      "postgresql; scripts/setup.sh does); this test starts a private server."; \
    ASSERT_TRUE((server).ok()) << (server).error();                                           \
  } while (0)

}  // namespace pelagos::test
