// PostgreSQL URLs, password redaction and placeholder rewriting (no server needed).
#include <gtest/gtest.h>

#include <chrono>

#include "pelagos/error.h"
#include "pelagos/tune/storage.h"
#include "tune/pg_db.h"

namespace pelagos::tune::sql {
namespace {

TEST(PgUrl, AcceptsOptunasFormsAndDropsTheDriver) {
  auto t = postgres_target_from_url("postgresql+psycopg2://ann:pw@db.lab:5433/tune?sslmode=require");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->conninfo, "postgresql://ann:pw@db.lab:5433/tune?sslmode=require");
  EXPECT_EQ(t->label, "postgresql+psycopg2://ann:***@db.lab:5433/tune?sslmode=require");
  ASSERT_TRUE(postgres_target_from_url("postgres://db/x"));
  EXPECT_EQ(postgres_target_from_url("postgres://db/x")->conninfo, "postgresql://db/x");
  EXPECT_FALSE(postgres_target_from_url("sqlite:///x.db"));
  EXPECT_FALSE(postgres_target_from_url("mysql://u@h/db"));
}

TEST(PgUrl, RedactsPasswordsWhereverTheyAre) {
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_url("postgresql://u:p%40ss@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redact_url("postgresql://h/db?user=u&password=secret&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_url("postgresql://h:5432/db"), "postgresql://h:5432/db");  // a port is not a password
}

TEST(PgUrl, RewritesPlaceholders) {
  EXPECT_EQ(dollar_placeholders("SELECT ? , ? FROM t WHERE a = '?'"), "SELECT $1 , $2 FROM t WHERE a = '?'");
  EXPECT_EQ(dollar_placeholders("UPDATE t SET a = ?1, b = ?2 WHERE c = ?1"), "UPDATE t SET a = $1, b = $2 WHERE c = $1");
}

// A worker that cannot reach the server gives up after the retry budget, with
// a message naming the database but not the password.
TEST(PgUrl, UnreachableServerFailsCleanlyWithoutThePassword) {
  setenv("PELAGOS_DB_RETRY_SECONDS", "1", 1);
  const auto start = std::chrono::steady_clock::now();
  try {
    open_storage("postgresql://ann:hunter2@127.0.0.1:1/tune");  // port 1: nothing listens
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("postgresql://ann:***@127.0.0.1:1/tune"), std::string::npos) << msg;
    EXPECT_NE(msg.find("cannot reach"), std::string::npos) << msg;
  }
  unsetenv("PELAGOS_DB_RETRY_SECONDS");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(s, 0.5);  // it did retry
  EXPECT_LT(s, 10.0);
}

}  // namespace
}  // namespace pelagos::tune::sql
