// `pelagos study ...`: in-process through run_cli, and as real processes for
// the harness's interface and for two workers sharing one SQLite file.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "cli/cli.h"
#include "pelagos/tune/storage.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/python_json.h"

namespace pelagos::cli {
namespace {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun study(std::vector<std::string> args) {
  args.insert(args.begin(), "study");
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const int code = run_cli(args);
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  return {code, out, err};
}

const char* kSpace =
    R"({"x": {"name": "FloatDistribution", "attributes": {"step": null, "low": -5.0, "high": 5.0, "log": false}},)"
    R"( "n": {"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 4}},)"
    R"( "opt": {"name": "CategoricalDistribution", "attributes": {"choices": ["adam", "sgd"]}}})";

class StudyCli : public testing::Test {
 protected:
  std::vector<std::string> at(const std::string& cmd, std::vector<std::string> more = {}) const {
    std::vector<std::string> a{cmd, "--storage", url, "--study-name", "s"};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }
  nlohmann::json ask(const std::string& seed = "7") {
    const CliRun r = study(at("ask", {"--search-space", kSpace, "--sampler", "random", "--seed", seed}));
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  test::TempDir dir;
  std::string url = "sqlite:///" + dir.file("study.db");
};

TEST_F(StudyCli, AskCreatesTheStudyAndTellFinishesTrials) {
  const auto a0 = ask();
  EXPECT_EQ(a0.at("number"), 0);
  const auto& p = a0.at("params");
  EXPECT_GE(p.at("x").get<double>(), -5.0);
  EXPECT_LE(p.at("x").get<double>(), 5.0);
  EXPECT_TRUE(p.at("n").is_number_integer());
  EXPECT_TRUE(p.at("opt") == "adam" || p.at("opt") == "sgd");
  // One --seed for every ask, yet each trial gets its own point.
  const auto a1 = ask();
  EXPECT_EQ(a1.at("number"), 1);
  EXPECT_NE(a1.at("params").at("x"), p.at("x"));

  EXPECT_EQ(study(at("tell", {"--trial-number", "0", "--values", "0.5"})).code, 0);
  EXPECT_EQ(study(at("tell", {"--trial-number", "1", "--state", "fail"})).code, 0);
  const CliRun again = study(at("tell", {"--trial-number", "1", "--values", "0.1"}));
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already FAIL"), std::string::npos) << again.err;
  EXPECT_EQ(study(at("tell", {"--trial-number", "1", "--values", "0.1", "--skip-if-finished"})).code, 0);
  const CliRun missing = study(at("tell", {"--trial-number", "9", "--values", "0.1"}));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no trial number 9"), std::string::npos) << missing.err;

  const CliRun best = study(at("best"));
  ASSERT_EQ(best.code, 0) << best.err;
  const auto b = nlohmann::json::parse(best.out);
  EXPECT_EQ(b.at("number"), 0);
  EXPECT_EQ(b.at("value"), 0.5);
  EXPECT_EQ(b.at("params"), p);
}

TEST_F(StudyCli, SameSeedSameSequenceOnAFreshStudy) {
  const auto first = ask("3").at("params");
  const auto second = ask("3").at("params");
  url = "sqlite:///" + dir.file("other.db");
  EXPECT_EQ(ask("3").at("params"), first);
  EXPECT_EQ(ask("3").at("params"), second);
}

TEST_F(StudyCli, CreateRefusesADuplicateUnlessToldToSkip) {
  EXPECT_EQ(study(at("create", {"--direction", "maximize"})).code, 0);
  const CliRun dup = study(at("create"));
  EXPECT_EQ(dup.code, 1);
  EXPECT_NE(dup.err.find("--skip-if-exists"), std::string::npos) << dup.err;
  EXPECT_EQ(study(at("create", {"--direction", "maximize", "--skip-if-exists"})).code, 0);
  auto storage = tune::open_storage(url);
  EXPECT_EQ(storage->study_direction(*storage->find_study("s")), tune::StudyDirection::Maximize);
}

TEST_F(StudyCli, ListTrialsExportAndDelete) {
  ask();
  ask();
  study(at("tell", {"--trial-number", "0", "--values", "1.25"}));
  const CliRun list = study({"list", "--storage", url, "--format", "json"});
  ASSERT_EQ(list.code, 0) << list.err;
  const auto l = nlohmann::json::parse(list.out);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].at("study_name"), "s");
  EXPECT_EQ(l[0].at("n_trials"), 2);
  EXPECT_EQ(l[0].at("best_value"), 1.25);

  const CliRun table = study(at("trials"));
  EXPECT_NE(table.out.find("COMPLETE"), std::string::npos);
  EXPECT_NE(table.out.find("RUNNING"), std::string::npos);

  const CliRun json = study(at("trials", {"--format", "json"}));
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j.at("trials").size(), 2u);
  EXPECT_EQ(j.at("trials")[0].at("value"), 1.25);

  ASSERT_EQ(study(at("export", {"--format", "csv", "--out", dir.file("t.csv")})).code, 0);
  const std::string csv = read_file(dir.file("t.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "number,value,datetime_start,datetime_complete,duration,params_n,params_opt,params_x,state");
  EXPECT_EQ(study(at("export", {"--format", "json", "--out", dir.file("t.json")})).code, 0);
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.file("t.json"))), j);

  EXPECT_EQ(study(at("delete")).code, 0);
  const CliRun gone = study(at("best"));
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("no study named 's'"), std::string::npos) << gone.err;
}

TEST_F(StudyCli, ClearErrorsForBadInput) {
  const CliRun bad_space = study(at("ask", {"--search-space", "{oops"}));
  EXPECT_EQ(bad_space.code, 1);
  EXPECT_NE(bad_space.err.find("--search-space"), std::string::npos) << bad_space.err;
  const CliRun bad_url = study({"list", "--storage", "sqlite:/x.db"});
  EXPECT_EQ(bad_url.code, 1);
  EXPECT_NE(bad_url.err.find("sqlite:/x.db"), std::string::npos) << bad_url.err;
  const CliRun bad_dir = study({"list", "--storage", "sqlite:///" + dir.file("nope/s.db")});
  EXPECT_EQ(bad_dir.code, 1);
  EXPECT_NE(bad_dir.err.find(dir.file("nope")), std::string::npos) << bad_dir.err;
  ask();
  const CliRun no_value = study(at("tell", {"--trial-number", "0"}));
  EXPECT_EQ(no_value.code, 1);
  EXPECT_NE(no_value.err.find("--values"), std::string::npos) << no_value.err;
}

// The CSV export is what Optuna's trials_dataframe().to_csv(index=False) writes.
TEST_F(StudyCli, CsvMatchesOptunasTrialsDataframe) {
  PELAGOS_REQUIRE_OPTUNA();
  for (int i = 0; i < 4; ++i) ask();
  study(at("tell", {"--trial-number", "0", "--values", "2"}));
  study(at("tell", {"--trial-number", "1", "--state", "fail"}));
  study(at("tell", {"--trial-number", "2", "--values", "0.125"}));
  const CliRun csv = study(at("trials", {"--format", "csv"}));
  ASSERT_EQ(csv.code, 0) << csv.err;
  const auto r = test::run_command(test::optuna_python() + " " PELAGOS_SOURCE_DIR "/tests/tune/optuna_check.py csv " +
                                   url + " s");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(csv.out, r.out);
}

// The harness's interface, through the real binary: two workers asking and
// telling on one file at the same time lose nothing and share no number.
TEST(StudyCliProcesses, TwoConcurrentWorkersOnOneFile) {
  test::TempDir dir;
  const std::string url = "sqlite:///" + dir.file("study.db");
  const std::string bin = PELAGOS_BINARY_DIR "/pelagos";
  const std::string space =
      R"('{"x": {"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}}')";
  // Each worker: 50 x (ask, then tell the number it got with that number as the value).
  const std::string worker = "for i in $(seq 50); do\n"
                             "  n=$(\"$BIN\" study ask --storage \"$URL\" --study-name w --search-space \"$SPACE\" "
                             "--sampler tpe --seed 1 | sed 's/.*\"number\":\\([0-9]*\\).*/\\1/') || exit 1\n"
                             "  [ -n \"$n\" ] || exit 1\n"
                             "  \"$BIN\" study tell --storage \"$URL\" --study-name w --trial-number $n --values $n "
                             "|| exit 1\n"
                             "done\n";
  write_file_atomic(dir.file("worker.sh"), worker);
  const auto r = test::run_command("export BIN=" + bin + " URL=" + url + " SPACE=" + space + "; bash " +
                                   dir.file("worker.sh") + " & a=$!; bash " + dir.file("worker.sh") +
                                   " & b=$!; wait $a || exit 1; wait $b");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto storage = tune::open_storage(url);
  const auto trials = storage->get_all_trials(*storage->find_study("w"));
  ASSERT_EQ(trials.size(), 100u);
  std::set<int> numbers;
  for (const auto& t : trials) {
    numbers.insert(t.number);
    EXPECT_EQ(t.state, tune::TrialState::Complete) << t.number;
    ASSERT_TRUE(t.value);
    EXPECT_EQ(*t.value, t.number);  // each worker told the trial it was given
  }
  EXPECT_EQ(numbers.size(), 100u);
}

}  // namespace
}  // namespace pelagos::cli
