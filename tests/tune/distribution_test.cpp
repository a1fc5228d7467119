#include <gtest/gtest.h>

#include "pelagos/error.h"
#include "pelagos/tune/distribution.h"

namespace pelagos::tune {
namespace {

using nlohmann::json;

// Strings produced by optuna.distributions.distribution_to_json (Optuna 3.1.0).
const char* kOptunaJson[] = {
    R"({"name": "FloatDistribution", "attributes": {"step": null, "low": 1e-05, "high": 0.001, "log": true}})",
    R"({"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 0.1, "high": 0.5, "log": false}})",
    R"({"name": "IntDistribution", "attributes": {"log": false, "step": 512, "low": 512, "high": 8192}})",
    R"({"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 100}})",
    R"({"name": "CategoricalDistribution", "attributes": {"choices": [16, 32, 64]}})",
    R"({"name": "CategoricalDistribution", "attributes": {"choices": ["Adam", "SGD", null, true, 1.5]}})",
};

TEST(Distribution, OptunaJsonRoundTrips) {
  for (const char* text : kOptunaJson) {
    const json j = json::parse(text);
    const Distribution d = Distribution::from_json(j, "p");
    EXPECT_EQ(d.to_json(), j) << text;
    EXPECT_EQ(Distribution::from_json(d.to_json(), "p"), d);
  }
}

TEST(Distribution, StepThatDoesNotDivideTheRangeLowersHighAsOptuna) {
  // Optuna: FloatDistribution(0, 1, step=0.3).high == 0.9; (0.1, 0.55, 0.1) -> 0.5; Int(1, 10, step=4) -> 9.
  EXPECT_EQ(Distribution::Float(0.0, 1.0, false, 0.3).high, 0.9);
  EXPECT_EQ(Distribution::Float(0.1, 0.55, false, 0.1).high, 0.5);
  EXPECT_EQ(Distribution::Int(1, 10, false, 4).high, 9.0);
  // Exact in decimal although not in binary: left alone.
  EXPECT_EQ(Distribution::Float(0.1, 0.5, false, 0.1).high, 0.5);
  EXPECT_EQ(Distribution::Float(0.0, 0.3, false, 0.1).high, 0.3);
}

TEST(Distribution, SingleMatchesOptuna) {
  EXPECT_TRUE(Distribution::Float(0.1, 0.15, false, 0.1).single());
  EXPECT_TRUE(Distribution::Int(3, 4, false, 2).single());
  EXPECT_TRUE(Distribution::Float(2.0, 2.0).single());
  EXPECT_TRUE(Distribution::Int(5, 5, true).single());
  EXPECT_TRUE(Distribution::Categorical({"only"}).single());
  EXPECT_FALSE(Distribution::Float(0.1, 0.2, false, 0.1).single());
  EXPECT_FALSE(Distribution::Int(1, 2, true).single());
  EXPECT_FALSE(Distribution::Float(1e-5, 1e-3, true).single());
}

TEST(Distribution, LegacyNamesBecomeTheNewKinds) {
  auto parse = [](const char* text) { return Distribution::from_json(json::parse(text), "p"); };
  EXPECT_EQ(parse(R"({"name": "UniformDistribution", "attributes": {"low": 0.0, "high": 2.0}})"),
            Distribution::Float(0.0, 2.0));
  EXPECT_EQ(parse(R"({"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}})"),
            Distribution::Float(0.001, 1.0, true));
  EXPECT_EQ(parse(R"({"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.25}})"),
            Distribution::Float(0.0, 1.0, false, 0.25));
  EXPECT_EQ(parse(R"({"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}})"),
            Distribution::Int(0, 10, false, 2));
  EXPECT_EQ(parse(R"({"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 64, "step": 1}})"),
            Distribution::Int(1, 64, true));
  EXPECT_EQ(parse(R"({"type": "float", "low": 0.0, "high": 1.0, "log": false})"), Distribution::Float(0.0, 1.0));
  EXPECT_EQ(parse(R"({"type": "categorical", "choices": ["a", "b"]})"), Distribution::Categorical({"a", "b"}));
}

void expect_error_mentions(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no pelagos::Error thrown (wanted one mentioning '" << needle << "')";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Distribution, ValidationErrorsNameTheParameter) {
  auto from = [](const char* text) { return [text] { Distribution::from_json(json::parse(text), "lr"); }; };
  expect_error_mentions(from(R"({"name": "FloatDistribution", "attributes": {"step": null, "low": 1.0, "high": 0.5, "log": false}})"),
                        "parameter 'lr': low (1) must be <= high (0.5)");
  expect_error_mentions(from(R"({"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": true}})"),
                        "'lr': a log range needs low > 0");
  expect_error_mentions(from(R"({"name": "FloatDistribution", "attributes": {"step": null, "low": -1.0, "high": 1.0, "log": true}})"),
                        "log range");
  expect_error_mentions(from(R"({"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 0, "high": 8}})"),
                        "low >= 1");
  expect_error_mentions(from(R"({"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 0.1, "high": 1.0, "log": true}})"),
                        "step is not supported with log");
  expect_error_mentions(from(R"({"name": "FloatDistribution", "attributes": {"step": 0.0, "low": 0.1, "high": 1.0, "log": false}})"),
                        "step must be positive");
  expect_error_mentions(from(R"({"name": "GammaDistribution", "attributes": {}})"), "unknown distribution 'GammaDistribution'");
  expect_error_mentions(from(R"({"name": "CategoricalDistribution", "attributes": {"choices": []}})"),
                        "'lr': a categorical distribution needs at least one choice");
  expect_error_mentions(from(R"({"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 0.5, "high": 8}})"),
                        "integer");
  expect_error_mentions(from(R"([1, 2])"), "'lr'");
}

// Inputs fuzzing found (fuzz/make_seeds.sh keeps them as seeds); each is refused with its reason.
TEST(Distribution, FuzzFindingsAreRefusedWithAReason) {
  struct Case {
    const char* why;
    const char* distribution;
    const char* error_mentions;
  };
  const Case cases[] = {
      {"a step 40 decades above low overflowed the exact decimal arithmetic",
       R"({"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 4.2595688e-41, "high": 0.5, "log": false}})",
       "36 decimal digits"},
      {"35 decades apart, but a 10-digit high shifted 35 places overflowed all the same",
       R"({"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 4.2595688e-41, "high": 0.0008000000004, "log": false}})",
       "36 decimal digits"},
      {"high adjusted to low + 4 steps rounds below that sum, so each reload lost a step",
       R"({"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 1.0595822277399296e-22, "high": 0.5, "log": false}})",
       "cannot be stored as a double"},
      {"an integer bound beyond long long's range",
       R"({"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 0, "high": 1e300}})",
       "at most 2^53"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    expect_error_mentions([&] { Distribution::from_json(json::parse(c.distribution), "dropout"); }, c.error_mentions);
  }
}

TEST(Distribution, InternalExternalConversion) {
  const Distribution cat = Distribution::Categorical({16, 32, 64});
  EXPECT_EQ(cat.to_internal(32), 1.0);
  EXPECT_EQ(cat.to_internal(32.0), 1.0);  // Python: 32 == 32.0
  EXPECT_EQ(cat.to_external(2.0), json(64));
  EXPECT_THROW(cat.to_internal("32"), Error);
  const Distribution flags = Distribution::Categorical({true, "x", nullptr});
  EXPECT_EQ(flags.to_internal(nullptr), 2.0);
  EXPECT_EQ(flags.to_internal(1), 0.0);  // Python: 1 == True

  const Distribution neurons = Distribution::Int(512, 8192, false, 512);
  EXPECT_EQ(neurons.to_internal(1024), 1024.0);
  EXPECT_TRUE(neurons.to_external(1024.0).is_number_integer());
  EXPECT_THROW(neurons.to_internal(1000), Error);   // off the step grid
  EXPECT_THROW(neurons.to_internal(8704), Error);   // above high

  const Distribution dropout = Distribution::Float(0.1, 0.5, false, 0.1);
  EXPECT_TRUE(dropout.contains(0.30000000000000004));  // 0.1 + 2 * 0.1 in binary
  EXPECT_FALSE(dropout.contains(0.25));
  EXPECT_EQ(dropout.to_internal("0.2"), 0.2);  // float("0.2"), as Optuna accepts
  EXPECT_THROW(Distribution::Float(1e-5, 1e-3, true).to_internal(0.0), Error);
}

TEST(Distribution, SearchSpaceJsonRoundTrip) {
  json j = json::object();
  for (size_t i = 0; i < std::size(kOptunaJson); ++i) j["p" + std::to_string(i)] = json::parse(kOptunaJson[i]);
  const SearchSpace space = search_space_from_json(j);
  EXPECT_EQ(space.size(), std::size(kOptunaJson));
  EXPECT_EQ(search_space_to_json(space), j);
  // Values may also be distribution_to_json strings.
  json as_strings = {{"lr", kOptunaJson[0]}};
  EXPECT_EQ(search_space_from_json(as_strings).at("lr"), Distribution::Float(1e-5, 1e-3, true));
  EXPECT_THROW(search_space_from_json(json::array()), Error);
}

}  // namespace
}  // namespace pelagos::tune
