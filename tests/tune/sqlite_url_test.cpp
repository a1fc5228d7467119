#include "tune/sqlite_url.h"

#include <gtest/gtest.h>

#include "pelagos/error.h"

namespace pelagos::tune {
namespace {

TEST(SqliteUrl, AcceptsOptunasForms) {
  EXPECT_EQ(sqlite_path_from_url("sqlite:///study.db"), "study.db");
  EXPECT_EQ(sqlite_path_from_url("sqlite:///runs/a/study.db"), "runs/a/study.db");
  EXPECT_EQ(sqlite_path_from_url("sqlite:////tmp/x/study.db"), "/tmp/x/study.db");
  EXPECT_EQ(sqlite_path_from_url("sqlite:///:memory:"), ":memory:");
  EXPECT_EQ(sqlite_path_from_url("sqlite://"), ":memory:");
  EXPECT_EQ(sqlite_path_from_url("postgresql://host/db"), std::nullopt);
  EXPECT_EQ(sqlite_path_from_url("memory"), std::nullopt);
}

TEST(SqliteUrl, RejectsMalformedOnesWithTheFormsToUse) {
  for (const char* bad : {"sqlite:/study.db", "sqlite://host/study.db", "sqlite:///s.db?timeout=3"}) {
    try {
      sqlite_path_from_url(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("sqlite:////absolute/path.db"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace pelagos::tune
