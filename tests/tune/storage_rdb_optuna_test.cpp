// The relational storage against the real Optuna 3.1 (tests/tune/optuna_check.py
// under /usr/bin/python3): same schema, and studies written by either side
// read back identically by the other, including a study that both extend; on
// an SQLite file and on a private PostgreSQL server (Optuna there needs
// python3-psycopg2).
#include <gtest/gtest.h>

#include <cmath>

#include "pelagos/tune/storage.h"
#include "support/pg_server.h"
#include "support/test_support.h"
#include "util/python_json.h"

namespace pelagos::tune {
namespace {

nlohmann::json optuna_check(const std::string& args) {
  const std::string cmd =
      test::optuna_python() + " " + PELAGOS_SOURCE_DIR "/tests/tune/optuna_check.py " + args;
  const auto r = test::run_command(cmd);
  EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.out;
  const nlohmann::json j = python_json_loads(r.out);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

// Optuna's value (a number, or null for None) equals pelagos's.
void expect_same_value(const nlohmann::json& optuna, const std::optional<double>& pelagos, const std::string& what) {
  if (optuna.is_null()) {
    EXPECT_FALSE(pelagos) << what;
    return;
  }
  ASSERT_TRUE(pelagos) << what;
  EXPECT_EQ(optuna.get<double>(), *pelagos) << what;
}

// Every field Optuna reports for each trial matches what pelagos reads.
void expect_same_trials(const nlohmann::json& optuna, const std::vector<FrozenTrial>& trials) {
  ASSERT_EQ(optuna.at("trials").size(), trials.size());
  for (size_t i = 0; i < trials.size(); ++i) {
    const auto& o = optuna.at("trials")[i];
    const FrozenTrial& p = trials[i];
    const std::string what = "trial " + std::to_string(i);
    EXPECT_EQ(o.at("number"), p.number) << what;
    EXPECT_EQ(o.at("state"), to_string(p.state)) << what;
    expect_same_value(o.at("value"), p.value, what);
    EXPECT_EQ(o.at("params"), p.params_json()) << what;
    ASSERT_EQ(o.at("distributions").size(), p.distributions.size()) << what;
    for (const auto& [name, dist] : p.distributions)
      EXPECT_EQ(Distribution::from_json(o.at("distributions").at(name), name), dist) << what << " " << name;
    ASSERT_EQ(o.at("intermediate_values").size(), p.intermediate_values.size()) << what;
    for (const auto& [step, v] : p.intermediate_values) {
      const auto& ov = o.at("intermediate_values").at(std::to_string(step));
      if (std::isnan(v)) {
        EXPECT_TRUE(ov.is_null()) << what;  // python_json_loads reads NaN as null
      } else {
        EXPECT_EQ(ov.get<double>(), v) << what << " step " << step;
      }
    }
    EXPECT_EQ(o.at("user_attrs"), nlohmann::json(p.user_attrs)) << what;
    EXPECT_EQ(o.at("system_attrs"), nlohmann::json(p.system_attrs)) << what;
    EXPECT_EQ(o.at("has_datetime_start"), p.datetime_start.has_value()) << what;
    EXPECT_EQ(o.at("has_datetime_complete"), p.datetime_complete.has_value()) << what;
  }
}

TEST(StorageSqliteOptuna, SchemaIsOptunasOwn) {
  PELAGOS_REQUIRE_OPTUNA();
  test::TempDir dir;
  make_sqlite_storage(dir.file("p.db"))->create_study("x", StudyDirection::Minimize);
  const auto r = test::run_command(test::optuna_python() + " " PELAGOS_SOURCE_DIR "/tests/tune/optuna_check.py schema " +
                                   dir.file("p.db"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("schema identical"), std::string::npos) << r.out;
}

// A fresh database on either engine, as the URL Optuna and pelagos open.
class OptunaRoundTrip : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    PELAGOS_REQUIRE_OPTUNA();
    if (GetParam() == "sqlite") {
      url_ = "sqlite:///" + dir_.file("s.db");
      return;
    }
    if (test::optuna_postgres_python().empty())
      GTEST_SKIP() << "python3-psycopg2 is not installed (scripts/setup.sh installs it); Optuna needs it to "
                      "open PostgreSQL";
    server_ = std::make_unique<test::PgServer>();
    PELAGOS_REQUIRE_POSTGRES_SERVER(*server_);
    url_ = server_->create_database("roundtrip");
  }
  const std::string& url() const { return url_; }
  // Optuna 3.1 finds the best trial with ORDER BY value DESC; a non-finite
  // value is stored as NULL, which PostgreSQL sorts first there, so on
  // PostgreSQL Optuna's own best_trial can be the -inf trial. pelagos decodes
  // the values (checked through list_studies).
  bool optuna_best_is_reliable() const { return GetParam() == "sqlite"; }

 private:
  test::TempDir dir_;
  std::unique_ptr<test::PgServer> server_;
  std::string url_;
};

INSTANTIATE_TEST_SUITE_P(Engines, OptunaRoundTrip, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// (a) pelagos writes every kind of trial; Optuna loads it and sees the same study.
TEST_P(OptunaRoundTrip, OptunaReadsWhatPelagosWrites) {
  auto s = open_storage(url());
  const int64_t study = s->create_study("from_pelagos", StudyDirection::Maximize);
  s->set_study_user_attr(study, "owner", {{"team", "pelagos"}});
  const SearchSpace space{{"f", Distribution::Float(0, 1)},
                          {"fl", Distribution::Float(1e-5, 1, true)},
                          {"fs", Distribution::Float(0, 1, false, 0.1)},
                          {"i", Distribution::Int(1, 10)},
                          {"il", Distribution::Int(1, 100, true)},
                          {"is", Distribution::Int(0, 10, false, 2)},
                          {"c", Distribution::Categorical({"a", 1, 2.5, nullptr, true})}};
  const std::map<std::string, double> params{{"f", 0.5},  {"fl", 1e-3}, {"fs", 0.3}, {"i", 7},
                                             {"il", 20}, {"is", 4},    {"c", 3}};
  auto new_trial = [&] {
    const FrozenTrial t = s->create_trial(study);
    for (const auto& [name, dist] : space) s->set_trial_param(t.trial_id, name, params.at(name), dist);
    return t.trial_id;
  };
  const int64_t t0 = new_trial();
  s->set_trial_intermediate_value(t0, 0, 0.9);
  s->set_trial_intermediate_value(t0, 1, HUGE_VAL);
  s->set_trial_intermediate_value(t0, 2, std::nan(""));
  s->set_trial_user_attr(t0, "note", nlohmann::json::array({1, "x"}));
  s->set_trial_system_attr(t0, "sys", {{"k", 1}});
  s->set_trial_state_value(t0, TrialState::Complete, 0.25);
  const int64_t t1 = new_trial();
  s->set_trial_param(t1, "c", 0, space.at("c"));  // overwrite: "a"
  s->set_trial_state_value(t1, TrialState::Complete, 0.125);
  s->set_trial_state_value(new_trial(), TrialState::Fail);
  const int64_t t3 = new_trial();
  s->set_trial_intermediate_value(t3, 5, 0.7);
  s->set_trial_state_value(t3, TrialState::Pruned, 0.7);
  // -inf, not +inf: Optuna 3.1 finds the best trial with ORDER BY value, where
  // a non-finite value is NULL, so it would wrongly pick a +inf trial when minimizing
  // (or miss one when maximizing). pelagos compares the decoded values.
  s->set_trial_state_value(new_trial(), TrialState::Complete, -HUGE_VAL);
  new_trial();  // RUNNING
  FrozenTrial waiting;
  waiting.state = TrialState::Waiting;
  waiting.system_attrs["fixed_params"] = {{"f", 0.75}};
  s->create_trial(study, &waiting);

  const nlohmann::json o = optuna_check("dump " + url() + " from_pelagos");
  EXPECT_EQ(o.at("direction"), "MAXIMIZE");
  EXPECT_EQ(o.at("n_trials"), 7);
  EXPECT_EQ(o.at("user_attrs"), (nlohmann::json{{"owner", {{"team", "pelagos"}}}}));
  ASSERT_FALSE(o.at("best").is_null());
  if (optuna_best_is_reliable()) {
    EXPECT_EQ(o.at("best").at("number"), 0);
    EXPECT_EQ(o.at("best").at("value"), 0.25);
    EXPECT_TRUE(o.at("best").at("params").at("c").is_null());
    EXPECT_EQ(o.at("best").at("params").at("f"), 0.5);
    EXPECT_EQ(o.at("best").at("params").at("fl"), 1e-3);
    EXPECT_EQ(o.at("best").at("params").at("is"), 4);
  }
  ASSERT_TRUE(s->list_studies().front().best_trial);
  EXPECT_EQ(s->list_studies().front().best_trial->number, 0);
  std::vector<std::string> states;
  for (const auto& t : o.at("trials")) states.push_back(t.at("state"));
  EXPECT_EQ(states, (std::vector<std::string>{"COMPLETE", "COMPLETE", "FAIL", "PRUNED", "COMPLETE", "RUNNING",
                                              "WAITING"}));
  EXPECT_EQ(o.at("trials")[1].at("params").at("c"), "a");
  expect_same_trials(o, s->get_all_trials(study));
  // pandas' trials_dataframe works on it and has Optuna's columns.
  EXPECT_EQ(o.at("dataframe_columns").front(), "number");
  EXPECT_EQ(o.at("dataframe_columns").back(), "state");
}

// (b) Optuna writes a study; pelagos reads it identically, resumes it (finishes
// Optuna's RUNNING trial, claims its enqueued one, adds trials), and Optuna
// reads and extends the result.
TEST_P(OptunaRoundTrip, PelagosReadsAndResumesWhatOptunaWrites) {
  const std::string& url = this->url();
  const nlohmann::json before = optuna_check("create " + url + " from_optuna");
  ASSERT_EQ(before.at("n_trials"), 7);

  auto s = open_storage(url);
  const auto study = s->find_study("from_optuna");
  ASSERT_TRUE(study);
  EXPECT_EQ(s->study_direction(*study), StudyDirection::Maximize);
  EXPECT_EQ(nlohmann::json(s->study_user_attrs(*study)), before.at("user_attrs"));
  expect_same_trials(before, s->get_all_trials(*study));

  // Resume: finish Optuna's RUNNING trial, run its enqueued one, add two more.
  const auto running = s->trial_id_from_number(*study, 5);
  ASSERT_TRUE(running);
  EXPECT_TRUE(s->set_trial_state_value(*running, TrialState::Complete, 2.0));
  const auto claimed = s->claim_waiting_trial(*study);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, 6);
  EXPECT_EQ(claimed->system_attrs.at("fixed_params"), (nlohmann::json{{"f", 0.25}, {"c", "a"}}));
  const auto& f = before.at("trials")[0].at("distributions").at("f");
  s->set_trial_param(claimed->trial_id, "f", 0.25, Distribution::from_json(f, "f"));
  EXPECT_TRUE(s->set_trial_state_value(claimed->trial_id, TrialState::Complete, 0.25));
  for (double v : {3.0, 1.0}) {
    const FrozenTrial t = s->create_trial(*study);
    s->set_trial_param(t.trial_id, "f", v / 4, Distribution::from_json(f, "f"));
    EXPECT_TRUE(s->set_trial_state_value(t.trial_id, TrialState::Complete, v));
  }
  EXPECT_EQ(s->count_trials(*study), 9);

  // Optuna (TPE, so it reads the whole mixed history) adds 3 trials and dumps.
  const nlohmann::json after = optuna_check("append " + url + " from_optuna 3");
  EXPECT_EQ(after.at("n_trials"), 12);
  if (optuna_best_is_reliable()) {
    EXPECT_EQ(after.at("best").at("number"), 7);
    EXPECT_EQ(after.at("best").at("value"), 3.0);
  }
  expect_same_trials(after, s->get_all_trials(*study));
}

}  // namespace
}  // namespace pelagos::tune
