// The PostgreSQL storage on a private server that each test starts
// (tests/support/pg_server.h): the storage contract, refusals, and several
// worker processes (pelagos and Python Optuna) sharing one study through a
// killed worker and a server restart.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "pelagos/error.h"
#include "pelagos/tune/storage.h"
#include "pelagos/tune/study.h"
#include "support/pg_server.h"
#include "util/python_json.h"

namespace pelagos::tune {
namespace {

using namespace std::chrono_literals;

using test::error_of;

TEST(StoragePostgres, KeepsTheStorageContract) {
  test::PgServer server;
  PELAGOS_REQUIRE_POSTGRES_SERVER(server);
  const std::string url = server.create_database("contract");
  auto s = open_storage(url);
  const int64_t study = s->create_study("x", StudyDirection::Maximize);
  EXPECT_NE(error_of([&] { s->create_study("x", StudyDirection::Minimize); }).find("already exists"),
            std::string::npos);
  s->set_study_user_attr(study, "owner", {{"team", "pelagos"}});
  s->set_study_system_attr(study, "s", 1);
  s->set_study_user_attr(study, "owner", "me");  // overwrite

  const FrozenTrial t0 = s->create_trial(study);
  EXPECT_EQ(t0.number, 0);
  EXPECT_EQ(t0.state, TrialState::Running);
  s->set_trial_param(t0.trial_id, "f", 1e-3, Distribution::Float(1e-5, 1, true));
  s->set_trial_param(t0.trial_id, "c", 1, Distribution::Categorical({"a", 2.5, nullptr}));
  s->set_trial_intermediate_value(t0.trial_id, 0, 0.9);
  s->set_trial_intermediate_value(t0.trial_id, 1, HUGE_VAL);
  s->set_trial_intermediate_value(t0.trial_id, 2, std::nan(""));
  s->set_trial_user_attr(t0.trial_id, "note", nlohmann::json::array({1, "x"}));
  s->set_trial_system_attr(t0.trial_id, "sys", {{"k", 0.1}});
  EXPECT_TRUE(s->set_trial_state_value(t0.trial_id, TrialState::Complete, 0.1 + 0.2));
  // A finished trial never changes again.
  EXPECT_FALSE(s->set_trial_state_value(t0.trial_id, TrialState::Fail));
  EXPECT_THROW(s->set_trial_user_attr(t0.trial_id, "late", 1), Error);
  // A parameter keeps its kind across the study.
  const FrozenTrial t1 = s->create_trial(study);
  EXPECT_THROW(s->set_trial_param(t1.trial_id, "f", 1, Distribution::Int(0, 3)), Error);
  EXPECT_TRUE(s->set_trial_state_value(t1.trial_id, TrialState::Complete, -HUGE_VAL));

  FrozenTrial waiting;
  waiting.state = TrialState::Waiting;
  waiting.system_attrs["fixed_params"] = {{"f", 0.5}};
  s->create_trial(study, &waiting);
  auto other = open_storage(url);  // a second connection: claims once, sees everything
  const auto claimed = other->claim_waiting_trial(study);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, 2);
  EXPECT_FALSE(s->claim_waiting_trial(study));

  const auto trials = other->get_all_trials(study);
  ASSERT_EQ(trials.size(), 3u);
  const FrozenTrial& r = trials[0];
  EXPECT_EQ(r.value, 0.1 + 0.2);  // exact: doubles travel as shortest round-trip text
  EXPECT_EQ(r.params.at("f"), 1e-3);
  EXPECT_EQ(r.distributions.at("f"), Distribution::Float(1e-5, 1, true));
  EXPECT_EQ(r.intermediate_values.at(0), 0.9);
  EXPECT_EQ(r.intermediate_values.at(1), HUGE_VAL);
  EXPECT_TRUE(std::isnan(r.intermediate_values.at(2)));
  EXPECT_EQ(r.user_attrs.at("note"), nlohmann::json::array({1, "x"}));
  EXPECT_EQ(r.system_attrs.at("sys"), (nlohmann::json{{"k", 0.1}}));
  ASSERT_TRUE(r.datetime_start && r.datetime_complete);
  EXPECT_LE(*r.datetime_start, *r.datetime_complete);
  EXPECT_LT(std::chrono::abs(Clock::now() - *r.datetime_complete), 60s);
  EXPECT_EQ(trials[1].value, -HUGE_VAL);
  EXPECT_EQ(trials[2].state, TrialState::Running);
  EXPECT_EQ(trials[2].system_attrs.at("fixed_params"), (nlohmann::json{{"f", 0.5}}));
  EXPECT_EQ(other->study_user_attrs(study).at("owner"), "me");
  EXPECT_EQ(other->study_direction(study), StudyDirection::Maximize);
  const auto list = other->list_studies();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].n_trials, 3);
  ASSERT_TRUE(list[0].best_trial);
  EXPECT_EQ(list[0].best_trial->number, 0);

  // The budget: one more started trial fits, then none.
  EXPECT_TRUE(s->start_trial_within(study, 4));
  EXPECT_FALSE(s->start_trial_within(study, 4));
  EXPECT_EQ(s->count_trials(study), 4);

  // Heartbeats use the server's clock.
  s->record_heartbeat(claimed->trial_id);
  EXPECT_TRUE(s->fail_stale_trials(study, 30.0).empty());
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(s->fail_stale_trials(study, 1.0), std::vector<int>{2});
  EXPECT_EQ(s->get_trial(claimed->trial_id).state, TrialState::Fail);

  s->delete_study(study);
  EXPECT_FALSE(other->find_study("x"));
}

TEST(StoragePostgres, RefusalsNameTheDatabaseButNeverThePassword) {
  test::PgServer server;
  PELAGOS_REQUIRE_POSTGRES_SERVER(server);
  const std::string base = "postgresql://pelagos:hunter2@127.0.0.1:" + std::to_string(server.port());
  // The server answers and refuses: no waiting.
  const auto start = std::chrono::steady_clock::now();
  const std::string missing = error_of([&] { open_storage(base + "/nosuchdb"); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(missing.find("nosuchdb"), std::string::npos) << missing;
  EXPECT_NE(missing.find("pelagos:***@"), std::string::npos) << missing;
  EXPECT_EQ(missing.find("hunter2"), std::string::npos) << missing;
  // A database that holds something else.
  const std::string url = server.create_database("other");
  const std::string psql = test::PgServer::bin_dir() + "/psql -q " + url + " -c 'CREATE TABLE payroll (x int)'";
  ASSERT_EQ(std::system(psql.c_str()), 0);
  const std::string foreign = error_of([&] { open_storage(url); });
  EXPECT_NE(foreign.find("not an Optuna/pelagos study storage"), std::string::npos) << foreign;
  EXPECT_NE(foreign.find("payroll"), std::string::npos) << foreign;
}

// The tables and types pelagos creates are exactly those SQLAlchemy creates
// for Optuna 3.1's models on PostgreSQL (compared as pg_dump --schema-only).
TEST(StoragePostgres, SchemaIsOptunasOwn) {
  PELAGOS_REQUIRE_OPTUNA();
  test::PgServer server;
  PELAGOS_REQUIRE_POSTGRES_SERVER(server);
  const std::string mine = server.create_database("mine");
  const std::string ref = server.create_database("ref");
  open_storage(mine);
  const std::string bin = test::PgServer::bin_dir();
  const auto ddl = test::run_command(test::optuna_python() + " " PELAGOS_SOURCE_DIR
                                     "/tests/tune/optuna_check.py pg_ddl | " + bin + "/psql -q -v ON_ERROR_STOP=1 " +
                                     ref);
  ASSERT_EQ(ddl.exit_code, 0) << ddl.out;
  auto dump = [&](const std::string& db) {
    const auto r = test::run_command(bin + "/pg_dump --schema-only --no-owner " + db + " | grep -v -e '^--' -e '^.restrict' -e '^.unrestrict'");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("CREATE TABLE public.trials"), std::string::npos);
    return r.out;
  };
  EXPECT_EQ(dump(mine), dump(ref));
  const auto rows = test::run_command(bin + "/psql -At " + mine +
                                      " -c 'SELECT version_num FROM alembic_version' -c "
                                      "'SELECT schema_version, library_version FROM version_info'");
  EXPECT_EQ(rows.out, "v3.0.0.d\n12|3.1.0\n");
}

// ---- several workers on one study -----------------------------------------

constexpr const char* kStudy = "shared";
constexpr int kBudget = 80;
// Well above the pause in heartbeats while the server restarts.
constexpr auto kGrace = 4s;

// A pelagos worker process: Study::optimize with the study-wide budget (what
// `pelagos tune --trials N` runs), a 0.2 s objective that logs each result it
// returns to `log`. With hang_at >= 0 it stops forever inside that trial
// (after touching `log`.hang) so that the test can SIGKILL it mid-trial.
[[noreturn]] void pelagos_worker(const std::string& url, int id, const std::string& log, int hang_at) {
  try {
    auto storage = open_storage(url);
    StudyOptions options;
    options.heartbeat_interval_s = 0.25;
    options.grace_period_s = std::chrono::duration<double>(kGrace).count();
    Study study(*storage, kStudy, StudyDirection::Minimize, nullptr, nullptr, options);
    std::ofstream out(log);
    int n = 0;
    study.optimize(
        [&](Trial& t) {
          const double x = t.suggest_float("x", 0, 1);
          t.set_user_attr("worker", id);
          if (n++ == hang_at) {
            std::ofstream(log + ".hang") << t.number();
            std::this_thread::sleep_for(1h);
          }
          std::this_thread::sleep_for(200ms);
          const double v = (x - 0.3) * (x - 0.3) + id * 1e-9;
          out << t.number() << ' ' << fmt::format("{}", v) << '\n' << std::flush;
          return v;
        },
        kBudget, std::nullopt, Budget::StudyTotal);
  } catch (const std::exception& e) {
    std::ofstream(log + ".error") << e.what();
    _exit(2);
  }
  _exit(0);
}

pid_t spawn(const std::function<void()>& child) {
  const pid_t pid = fork();
  if (pid == 0) child();
  return pid;
}

bool wait_for(const std::function<bool()>& cond, std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// 4 pelagos workers and 1 Python Optuna worker share a study with a budget of
// 80 trials; one pelagos worker is SIGKILLed inside a trial and restarted,
// and the server restarts once mid-study (workers reconnect). Afterwards: trial numbers 0..79 once
// each, exactly the budget, every result a worker returned stored once, and
// the killed worker's trial FAIL (by a surviving worker's stale-trial sweep).
TEST(StoragePostgres, WorkersShareOneStudyThroughAKillAndAServerRestart) {
  test::PgServer server;
  PELAGOS_REQUIRE_POSTGRES_SERVER(server);
  const std::string url = server.create_database("shared");
  auto storage = open_storage(url);
  const int64_t study = storage->create_study(kStudy, StudyDirection::Minimize);
  test::TempDir logs;
  const std::string& python = test::optuna_postgres_python();

  // Python first: its import takes a moment; the pelagos workers start once
  // it has told its first trial, and its other 4 run alongside theirs. It does
  // not reconnect across a restart, so the server restarts after it is done.
  FILE* py = nullptr;
  if (!python.empty()) {
    const std::string cmd = python + " " PELAGOS_SOURCE_DIR "/tests/tune/optuna_pg_worker.py " +
                            "postgresql+psycopg2" + url.substr(url.find("://")) + " " + kStudy + " 5 " +
                            std::to_string(kBudget) + " " + logs.file("py.ready");
    py = popen(cmd.c_str(), "r");
    ASSERT_TRUE(py);
    EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(logs.file("py.ready")); }, 120s));
  }
  std::map<std::string, pid_t> workers;  // log file name -> process
  for (int id = 0; id < 4; ++id) {
    const std::string log = "w" + std::to_string(id);
    workers[log] = spawn([&] { pelagos_worker(url, id, logs.file(log), id == 0 ? 1 : -1); });
    ASSERT_GT(workers[log], 0);
  }
  // Kill worker 0 inside its second trial, and start it again (fresh log).
  ASSERT_TRUE(wait_for([&] { return std::filesystem::exists(logs.file("w0.hang")); }, 60s));
  kill(workers["w0"], SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  waitpid(workers["w0"], nullptr, 0);
  workers.erase("w0");
  int killed_number = -1;
  std::ifstream(logs.file("w0.hang")) >> killed_number;

  std::string py_out;
  if (py) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, py)) > 0) py_out.append(buf, n);
    EXPECT_EQ(pclose(py), 0) << py_out;
  }
  // Restart the server in the middle of the study.
  ASSERT_TRUE(wait_for([&] { return storage->count_trials(study) >= kBudget / 2; }, 120s));
  EXPECT_LT(storage->count_trials(study), kBudget) << "the study ended before the restart; it tests nothing";
  server.restart();
  // Start the killed worker again once its trial's heartbeat is past the
  // grace period: its first ask fails that trial, even if the others are done.
  std::this_thread::sleep_until(killed_at + kGrace + 500ms);
  workers["w0b"] = spawn([&] { pelagos_worker(url, 0, logs.file("w0b"), -1); });

  for (auto& [log, pid] : workers) {
    int status = 0;
    waitpid(pid, &status, 0);
    std::ifstream err(logs.file(log + ".error"));
    const std::string why((std::istreambuf_iterator<char>(err)), {});
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker " << log << ": " << why;
  }

  // Results each worker returned: (number -> value).
  std::map<int, double> returned;
  for (const char* name : {"w0", "w0b", "w1", "w2", "w3"}) {
    std::ifstream in(logs.file(name));
    int number;
    double value;
    while (in >> number >> value) EXPECT_TRUE(returned.emplace(number, value).second) << "number " << number;
  }
  int python_told = 0;
  if (py) {
    const nlohmann::json j = python_json_loads(py_out);
    ASSERT_TRUE(j.is_object()) << py_out;
    for (const auto& tv : j.at("told")) {
      EXPECT_TRUE(returned.emplace(tv[0].get<int>(), tv[1].get<double>()).second) << tv;
      ++python_told;
    }
    EXPECT_EQ(python_told, 5);
    EXPECT_GT(j.at("seen_others").get<int>(), 0);  // Python saw pelagos's trials
  }

  const auto trials = open_storage(url)->get_all_trials(study);
  ASSERT_EQ(trials.size(), size_t(kBudget));  // exactly the budget
  std::set<int> numbers;
  int failed = 0, from_python = 0;
  for (const auto& t : trials) {
    numbers.insert(t.number);
    if (t.user_attrs.count("worker") && t.user_attrs.at("worker") == "python") ++from_python;
    if (t.number == killed_number) {
      EXPECT_EQ(t.state, TrialState::Fail);
      ++failed;
      continue;
    }
    EXPECT_EQ(t.state, TrialState::Complete) << "trial " << t.number;
    const auto it = returned.find(t.number);
    ASSERT_NE(it, returned.end()) << "trial " << t.number << " completed but no worker returned it";
    EXPECT_EQ(t.value, it->second) << "trial " << t.number;
  }
  EXPECT_EQ(numbers.size(), trials.size());  // no duplicate numbers
  EXPECT_EQ(*numbers.rbegin(), kBudget - 1);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(returned.size(), size_t(kBudget - 1));  // every returned result is stored, once
  EXPECT_EQ(from_python, python_told);
  if (!py)
    GTEST_SKIP() << "checked the 4 pelagos workers only: the Python Optuna worker needs python3-psycopg2 "
                    "(scripts/setup.sh installs it)";
}

}  // namespace
}  // namespace pelagos::tune
