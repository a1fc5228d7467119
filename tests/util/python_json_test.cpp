#include "util/python_json.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pelagos {
namespace {

TEST(PythonJson, DumpsLikePythonJsonDumps) {
  // json.dumps({"a": [1, 2.0, "é", None, True], "b": 1e-05, "c": 1e16}) in Python 3.11:
  EXPECT_EQ(python_json_dumps(nlohmann::json::parse(R"({"a": [1, 2.0, "é", null, true], "b": 1e-05, "c": 1e16})")),
            R"({"a": [1, 2.0, "\u00e9", null, true], "b": 1e-05, "c": 1e+16})");
  EXPECT_EQ(python_json_dumps(nlohmann::json::array({HUGE_VAL, -HUGE_VAL, std::nan("")})),
            "[Infinity, -Infinity, NaN]");
  EXPECT_EQ(python_json_dumps(nlohmann::json::object()), "{}");
}

TEST(PythonJson, LoadsPythonsNonStandardLiterals) {
  const auto j = python_json_loads(R"({"x\"NaN": Infinity, "y": [-Infinity, NaN, "Infinity"]})");
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j.at("x\"NaN").get<double>(), HUGE_VAL);
  EXPECT_EQ(j.at("y")[0].get<double>(), -HUGE_VAL);
  EXPECT_TRUE(j.at("y")[1].is_null());
  EXPECT_EQ(j.at("y")[2], "Infinity");  // inside a string it stays text
  EXPECT_TRUE(python_json_loads("{not json").is_discarded());
}

}  // namespace
}  // namespace pelagos
