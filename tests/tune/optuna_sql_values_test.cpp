#include "tune/optuna_sql_values.h"

#include <gtest/gtest.h>

#include <cmath>

#include "pelagos/error.h"

namespace pelagos::tune {
namespace {

TEST(OptunaSqlValues, DatetimesRoundTripToTheMicrosecond) {
  const auto t = Clock::time_point(std::chrono::microseconds(1764081144849272LL));
  const std::string text = optuna_sql::format_datetime(t);
  ASSERT_EQ(text.size(), 26u);  // YYYY-MM-DD HH:MM:SS.ffffff
  EXPECT_EQ(text[10], ' ');
  EXPECT_EQ(text.substr(19), ".849272");
  EXPECT_EQ(optuna_sql::parse_datetime(text), t);
  // trial_heartbeats holds SQLite's CURRENT_TIMESTAMP: whole seconds, UTC.
  EXPECT_EQ(optuna_sql::parse_datetime("1970-01-01 00:01:40", /*utc=*/true),
            Clock::time_point(std::chrono::seconds(100)));
  EXPECT_THROW(optuna_sql::parse_datetime("yesterday"), Error);
}

TEST(OptunaSqlValues, DatetimesInLooserFormsReadAsTheCanonicalOne) {
  const auto t = optuna_sql::parse_datetime("2026-01-05 03:04:05.25", /*utc=*/true);
  EXPECT_EQ(optuna_sql::parse_datetime("2026-01-05T03:04:05.250000", /*utc=*/true), t);
  EXPECT_EQ(optuna_sql::parse_datetime("2026-1-5 3:4:5.25", /*utc=*/true), t);
  EXPECT_EQ(optuna_sql::parse_datetime("2026-01-05 03:04:05", /*utc=*/true),
            t - std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(250)));
  EXPECT_THROW(optuna_sql::parse_datetime("2026-01-05_03:04:05"), Error);
  EXPECT_THROW(optuna_sql::parse_datetime("2026-01-05 03:0x:05"), Error);
}

TEST(OptunaSqlValues, NonFiniteValuesUseOptunasTypeTags) {
  EXPECT_STREQ(optuna_sql::objective_to_stored(0.5).type, "FINITE");
  EXPECT_EQ(optuna_sql::objective_to_stored(0.5).value, 0.5);
  EXPECT_STREQ(optuna_sql::objective_to_stored(HUGE_VAL).type, "INF_POS");
  EXPECT_FALSE(optuna_sql::objective_to_stored(HUGE_VAL).value);
  EXPECT_STREQ(optuna_sql::objective_to_stored(-HUGE_VAL).type, "INF_NEG");
  EXPECT_THROW(optuna_sql::objective_to_stored(std::nan("")), Error);
  EXPECT_STREQ(optuna_sql::intermediate_to_stored(std::nan("")).type, "NAN");
  EXPECT_EQ(optuna_sql::from_stored(std::nullopt, "INF_NEG"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(optuna_sql::from_stored(std::nullopt, "NAN")));
  EXPECT_THROW(optuna_sql::from_stored(std::nullopt, "FINITE"), Error);
}

TEST(OptunaSqlValues, DistributionJsonIsByteIdenticalToOptunas) {
  // optuna.distributions.distribution_to_json(...) in Optuna 3.1.0:
  EXPECT_EQ(optuna_sql::distribution_to_json_text(Distribution::Float(1e-5, 1.0, true)),
            R"({"name": "FloatDistribution", "attributes": {"step": null, "low": 1e-05, "high": 1.0, "log": true}})");
  EXPECT_EQ(optuna_sql::distribution_to_json_text(Distribution::Int(0, 10, false, 2)),
            R"({"name": "IntDistribution", "attributes": {"log": false, "step": 2, "low": 0, "high": 10}})");
  EXPECT_EQ(optuna_sql::distribution_to_json_text(Distribution::Categorical({"a", 1, 2.5, nullptr, true})),
            R"({"name": "CategoricalDistribution", "attributes": {"choices": ["a", 1, 2.5, null, true]}})");
}

}  // namespace
}  // namespace pelagos::tune
