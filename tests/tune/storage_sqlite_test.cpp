// The SQLite storage on its own: round trips, refusal of foreign files and
// schemas, locking, several processes on one file, and a worker killed mid-trial.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "pelagos/error.h"
#include "pelagos/tune/storage.h"
#include "pelagos/tune/study.h"
#include "support/test_support.h"
#include "tune/storage_sqlite.h"

namespace pelagos::tune {
namespace {

// Runs raw SQL on a database file (what another program would do to it).
void raw_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

using test::error_of;

const Distribution kCat = Distribution::Categorical({"a", 1, 2.5, nullptr, true});

TEST(StorageSqlite, RoundTripsEverythingATrialHolds) {
  test::TempDir dir;
  const std::string path = dir.file("s.db");
  int64_t study = 0;
  {
    auto s = make_sqlite_storage(path);
    study = s->create_study("rt", StudyDirection::Maximize);
    s->set_study_user_attr(study, "owner", {{"team", "x"}});
    s->set_study_system_attr(study, "sys", 3);
    FrozenTrial t = s->create_trial(study);
    EXPECT_EQ(t.number, 0);
    EXPECT_EQ(t.state, TrialState::Running);
    ASSERT_TRUE(t.datetime_start);
    s->set_trial_param(t.trial_id, "lr", 1e-3, Distribution::Float(1e-5, 1.0, true));
    s->set_trial_param(t.trial_id, "n", 4, Distribution::Int(0, 10, false, 2));
    s->set_trial_param(t.trial_id, "c", 3, kCat);
    s->set_trial_intermediate_value(t.trial_id, 0, 0.5);
    s->set_trial_intermediate_value(t.trial_id, 1, HUGE_VAL);
    s->set_trial_intermediate_value(t.trial_id, 2, std::nan(""));
    s->set_trial_intermediate_value(t.trial_id, 0, 0.25);  // overwrite, as Optuna allows
    s->set_trial_user_attr(t.trial_id, "note", nlohmann::json::array({1, "x"}));
    s->set_trial_system_attr(t.trial_id, "grid_id", 7);
    EXPECT_TRUE(s->set_trial_state_value(t.trial_id, TrialState::Complete, 0.9));
    FrozenTrial inf = s->create_trial(study);
    EXPECT_TRUE(s->set_trial_state_value(inf.trial_id, TrialState::Complete, -HUGE_VAL));
  }
  auto s = make_sqlite_storage(path);  // a fresh connection reads everything back
  ASSERT_EQ(s->find_study("rt"), study);
  EXPECT_EQ(s->study_direction(study), StudyDirection::Maximize);
  EXPECT_EQ(s->study_user_attrs(study).at("owner"), (nlohmann::json{{"team", "x"}}));
  EXPECT_EQ(s->study_system_attrs(study).at("sys"), 3);
  const auto trials = s->get_all_trials(study);
  ASSERT_EQ(trials.size(), 2u);
  const FrozenTrial& t = trials[0];
  EXPECT_EQ(t.state, TrialState::Complete);
  EXPECT_EQ(t.value, 0.9);
  EXPECT_DOUBLE_EQ(t.params.at("lr"), 1e-3);
  EXPECT_EQ(t.distributions.at("lr"), Distribution::Float(1e-5, 1.0, true));
  EXPECT_EQ(t.distributions.at("n"), Distribution::Int(0, 10, false, 2));
  EXPECT_EQ(t.param("c"), nullptr);
  EXPECT_EQ(t.intermediate_values.at(0), 0.25);
  EXPECT_EQ(t.intermediate_values.at(1), HUGE_VAL);
  EXPECT_TRUE(std::isnan(t.intermediate_values.at(2)));
  EXPECT_EQ(t.user_attrs.at("note"), nlohmann::json::array({1, "x"}));
  EXPECT_EQ(t.system_attrs.at("grid_id"), 7);
  ASSERT_TRUE(t.datetime_complete);
  EXPECT_GE(*t.datetime_complete, *t.datetime_start);
  EXPECT_EQ(trials[1].value, -HUGE_VAL);
  EXPECT_EQ(s->trial_id_from_number(study, 1), trials[1].trial_id);
  EXPECT_EQ(s->count_trials(study, TrialState::Complete), 2);
  const auto studies = s->list_studies();
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].n_trials, 2);
  ASSERT_TRUE(studies[0].best_trial);
  EXPECT_EQ(studies[0].best_trial->number, 0);  // maximize: 0.9 beats -inf
}

TEST(StorageSqlite, FinishedTrialsNeverChangeAgain) {
  test::TempDir dir;
  auto s = make_sqlite_storage(dir.file("s.db"));
  const int64_t study = s->create_study("x", StudyDirection::Minimize);
  const FrozenTrial t = s->create_trial(study);
  EXPECT_TRUE(s->set_trial_state_value(t.trial_id, TrialState::Fail));
  EXPECT_FALSE(s->set_trial_state_value(t.trial_id, TrialState::Complete, 1.0));
  EXPECT_EQ(s->get_trial(t.trial_id).state, TrialState::Fail);
  EXPECT_FALSE(s->get_trial(t.trial_id).value);
  EXPECT_NE(error_of([&] { s->set_trial_user_attr(t.trial_id, "k", 1); }).find("already finished"),
            std::string::npos);
  EXPECT_NE(error_of([&] { s->set_trial_param(t.trial_id, "x", 0.5, Distribution::Float(0, 1)); })
                .find("already finished"),
            std::string::npos);
}

TEST(StorageSqlite, AParameterKeepsItsKindAcrossTheStudy) {
  test::TempDir dir;
  auto s = make_sqlite_storage(dir.file("s.db"));
  const int64_t study = s->create_study("x", StudyDirection::Minimize);
  const int64_t t0 = s->create_trial(study).trial_id;
  s->set_trial_param(t0, "x", 0.5, Distribution::Float(0, 1));
  s->set_trial_param(t0, "c", 1, Distribution::Categorical({"a", "b"}));
  const int64_t t1 = s->create_trial(study).trial_id;
  s->set_trial_param(t1, "x", 5, Distribution::Float(0, 10));  // other bounds: allowed, as in Optuna
  EXPECT_NE(error_of([&] { s->set_trial_param(t1, "x", 1, Distribution::Int(0, 3)); }).find("different distribution"),
            std::string::npos);
  EXPECT_NE(error_of([&] { s->set_trial_param(t1, "c", 0, Distribution::Categorical({"a", "z"})); })
                .find("keeps its choices"),
            std::string::npos);
  EXPECT_NE(error_of([&] { s->set_trial_param(t1, "y", 2.0, Distribution::Float(0, 1)); }).find("outside"),
            std::string::npos);
  // Another study may use the same name differently.
  const int64_t other = s->create_study("y", StudyDirection::Minimize);
  s->set_trial_param(s->create_trial(other).trial_id, "x", 1, Distribution::Int(0, 3));
}

TEST(StorageSqlite, EnqueuedTrialsAreClaimedOnce) {
  test::TempDir dir;
  auto s = make_sqlite_storage(dir.file("s.db"));
  const int64_t study = s->create_study("x", StudyDirection::Minimize);
  FrozenTrial tmpl;
  tmpl.state = TrialState::Waiting;
  tmpl.params["x"] = 0.25;
  tmpl.distributions.emplace("x", Distribution::Float(0, 1));
  tmpl.system_attrs["fixed_params"] = {{"x", 0.25}};
  const FrozenTrial waiting = s->create_trial(study, &tmpl);
  EXPECT_EQ(waiting.state, TrialState::Waiting);
  EXPECT_EQ(waiting.param("x"), 0.25);
  const auto claimed = s->claim_waiting_trial(study);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, waiting.number);
  EXPECT_EQ(claimed->state, TrialState::Running);
  EXPECT_EQ(claimed->system_attrs.at("fixed_params"), (nlohmann::json{{"x", 0.25}}));
  EXPECT_FALSE(s->claim_waiting_trial(study));
  // RUNNING is only reachable from WAITING.
  EXPECT_FALSE(s->set_trial_state_value(claimed->trial_id, TrialState::Running));
}

TEST(StorageSqlite, StudiesAreUniqueAndDeletable) {
  test::TempDir dir;
  auto s = make_sqlite_storage(dir.file("s.db"));
  const int64_t a = s->create_study("a", StudyDirection::Minimize);
  const int64_t b = s->create_study("b", StudyDirection::Minimize);
  EXPECT_NE(error_of([&] { s->create_study("a", StudyDirection::Maximize); }).find("already exists"),
            std::string::npos);
  const FrozenTrial t = s->create_trial(a);
  s->set_trial_param(t.trial_id, "x", 0.5, Distribution::Float(0, 1));
  s->record_heartbeat(t.trial_id);
  s->create_trial(b);
  s->delete_study(a);
  EXPECT_FALSE(s->find_study("a"));
  EXPECT_EQ(s->list_studies().size(), 1u);
  EXPECT_EQ(s->get_all_trials(b).size(), 1u);
  // Nothing of a's trials is left behind in the child tables.
  auto fresh = make_sqlite_storage(dir.file("s.db"));
  const int64_t c = fresh->create_study("c", StudyDirection::Minimize);
  EXPECT_EQ(fresh->get_all_trials(c).size(), 0u);
}

// Finished trials are cached per connection; what another connection does
// (finishing a trial, deleting a study so trial ids get reused) still shows.
TEST(StorageSqlite, SeesWhatOtherConnectionsWrite) {
  test::TempDir dir;
  auto a = make_sqlite_storage(dir.file("s.db"));
  auto b = make_sqlite_storage(dir.file("s.db"));
  const int64_t x = a->create_study("x", StudyDirection::Minimize);
  const FrozenTrial done = a->create_trial(x);
  a->set_trial_state_value(done.trial_id, TrialState::Complete, 1.0);
  const FrozenTrial running = a->create_trial(x);
  ASSERT_EQ(a->get_all_trials(x).size(), 2u);  // cached the finished one
  b->set_trial_state_value(running.trial_id, TrialState::Complete, 2.0);
  EXPECT_EQ(a->get_all_trials(x)[1].value, 2.0);
  b->delete_study(x);
  const int64_t y = b->create_study("y", StudyDirection::Minimize);
  const FrozenTrial reused = b->create_trial(y);
  EXPECT_EQ(reused.trial_id, done.trial_id);  // SQLite reuses the freed rowid
  b->set_trial_param(reused.trial_id, "p", 0.5, Distribution::Float(0, 1));
  b->set_trial_state_value(reused.trial_id, TrialState::Fail);
  const auto seen = a->get_all_trials(y);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].state, TrialState::Fail);
  EXPECT_FALSE(seen[0].value);
  EXPECT_EQ(seen[0].params.at("p"), 0.5);
  EXPECT_FALSE(a->find_study("x"));
}

TEST(StorageSqlite, RefreshBringsAnEarlierListUpToDate) {
  test::TempDir dir;
  auto a = make_sqlite_storage(dir.file("s.db"));
  auto b = make_sqlite_storage(dir.file("s.db"));
  const int64_t x = a->create_study("x", StudyDirection::Minimize);
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(a->create_trial(x).trial_id);
  a->set_trial_state_value(ids[0], TrialState::Complete, 0.5);
  std::vector<FrozenTrial> trials = a->get_all_trials(x);
  b->set_trial_state_value(ids[1], TrialState::Complete, 1.5);
  b->set_trial_user_attr(ids[2], "k", "v");
  b->create_trial(x);
  a->refresh_trials(x, trials);
  const auto fresh = a->get_all_trials(x);
  ASSERT_EQ(trials.size(), 4u);
  for (size_t i = 0; i < fresh.size(); ++i) {
    EXPECT_EQ(trials[i].number, int(i));
    EXPECT_EQ(trials[i].state, fresh[i].state);
    EXPECT_EQ(trials[i].value, fresh[i].value);
    EXPECT_EQ(trials[i].user_attrs, fresh[i].user_attrs);
  }
  EXPECT_EQ(trials[1].value, 1.5);
  EXPECT_EQ(trials[2].user_attrs.at("k"), "v");
}

TEST(StorageSqlite, RefusesASchemaItDoesNotKnow) {
  test::TempDir dir;
  const std::string path = dir.file("s.db");
  make_sqlite_storage(path)->create_study("x", StudyDirection::Minimize);
  raw_sql(path, "UPDATE alembic_version SET version_num = 'v9.9.9.a'");
  const std::string msg = error_of([&] { make_sqlite_storage(path); });
  EXPECT_NE(msg.find("v9.9.9.a"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Optuna 3.0.x and 3.1.x"), std::string::npos) << msg;
  EXPECT_NE(msg.find("optuna storage upgrade"), std::string::npos) << msg;
}

TEST(StorageSqlite, RefusesFilesThatAreNotStudies) {
  test::TempDir dir;
  const std::string other = dir.file("other.db");
  raw_sql(other, "CREATE TABLE songs (id INTEGER)");
  EXPECT_NE(error_of([&] { make_sqlite_storage(other); }).find("not an Optuna/pelagos study storage"),
            std::string::npos);
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "this is not a database, just some text that is long enough to have a header";
  EXPECT_NE(error_of([&] { make_sqlite_storage(text); }).find("not an SQLite database"), std::string::npos);
  const std::string missing = dir.file("no/such/folder/s.db");
  const std::string msg = error_of([&] { make_sqlite_storage(missing); });
  EXPECT_NE(msg.find(dir.file("no/such/folder")), std::string::npos) << msg;
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
}

TEST(StorageSqlite, RefusesAReadOnlyFolder) {
  test::TempDir dir;
  const auto ro = dir.path() / "ro";
  std::filesystem::create_directory(ro);
  std::filesystem::permissions(ro, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                       std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                       std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  // Root ignores permissions, so check as "nobody" in a child process.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    const std::string msg = error_of([&] { make_sqlite_storage((ro / "s.db").string()); });
    const bool ok = msg.find("not writable") != std::string::npos && msg.find(ro.string()) != std::string::npos;
    if (!ok) fprintf(stderr, "message: %s\n", msg.c_str());
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::filesystem::permissions(ro, std::filesystem::perms::owner_all);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "cannot switch to user nobody to test permissions";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(StorageSqlite, SaysSoWhenAnotherProcessHoldsTheLockTooLong) {
  test::TempDir dir;
  const std::string path = dir.file("s.db");
  auto s = make_sqlite_storage(path, /*busy_timeout_ms=*/200);
  const int64_t study = s->create_study("x", StudyDirection::Minimize);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string msg = error_of([&] { s->create_trial(study); });
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_NE(msg.find("still locked"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_GE(waited, 0.15);
  EXPECT_EQ(s->create_trial(study).number, 0);  // nothing half-done was left behind
}

// Several processes creating and finishing trials on one file at once.
TEST(StorageSqlite, ConcurrentProcessesNeverDuplicateANumber) {
  test::TempDir dir;
  const std::string path = dir.file("s.db");
  const int64_t study = make_sqlite_storage(path)->create_study("x", StudyDirection::Minimize);
  constexpr int kProcs = 3, kTrials = 40;
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      try {
        auto s = make_sqlite_storage(path);
        for (int i = 0; i < kTrials; ++i) {
          const FrozenTrial t = s->create_trial(study);
          s->set_trial_param(t.trial_id, "x", (p * kTrials + i) / 1000.0, Distribution::Float(0, 1));
          if (!s->set_trial_state_value(t.trial_id, TrialState::Complete, p * 1000.0 + i)) _exit(3);
        }
      } catch (...) {
        _exit(2);
      }
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  const auto trials = make_sqlite_storage(path)->get_all_trials(study);
  ASSERT_EQ(trials.size(), size_t(kProcs * kTrials));
  std::set<int> numbers;
  std::set<double> values;
  for (const auto& t : trials) {
    numbers.insert(t.number);
    EXPECT_EQ(t.state, TrialState::Complete);
    ASSERT_TRUE(t.value);
    values.insert(*t.value);
  }
  EXPECT_EQ(numbers.size(), trials.size());
  EXPECT_EQ(*numbers.rbegin(), kProcs * kTrials - 1);
  EXPECT_EQ(values.size(), trials.size());  // every result arrived
}

// A worker killed with SIGKILL at an arbitrary moment: every trial it finished
// is intact, and its RUNNING trial fails once its heartbeat is stale.
TEST(StorageSqlite, KilledWorkerLeavesConsistentStudyAndStaleTrialFails) {
  test::TempDir dir;
  const std::string path = dir.file("s.db");
  const int64_t study = make_sqlite_storage(path)->create_study("x", StudyDirection::Minimize);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = make_sqlite_storage(path);
    for (int i = 0;; ++i) {  // runs until killed
      const FrozenTrial t = s->create_trial(study);
      s->record_heartbeat(t.trial_id);
      s->set_trial_param(t.trial_id, "x", 0.5, Distribution::Float(0, 1));
      s->set_trial_intermediate_value(t.trial_id, 0, i);
      if (i >= 20) std::this_thread::sleep_for(std::chrono::hours(1));  // "training" the last one
      s->set_trial_state_value(t.trial_id, TrialState::Complete, i);
    }
  }
  // Wait until the child is inside its long trial (21 trials exist), then kill it.
  auto s = make_sqlite_storage(path);
  for (int i = 0; i < 600 && s->count_trials(study) < 21; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);

  EXPECT_TRUE(s->fail_stale_trials(study, 60.0).empty());  // heartbeat is fresh: not yet stale
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // heartbeats have 1 s resolution
  const auto failed = s->fail_stale_trials(study, 1.0);
  ASSERT_EQ(failed, std::vector<int>{20});
  const auto trials = s->get_all_trials(study);
  ASSERT_EQ(trials.size(), 21u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(trials[size_t(i)].state, TrialState::Complete);
    EXPECT_EQ(trials[size_t(i)].value, double(i));
    EXPECT_EQ(trials[size_t(i)].param("x"), 0.5);
  }
  EXPECT_EQ(trials[20].state, TrialState::Fail);
  EXPECT_TRUE(trials[20].datetime_complete);
  // A stale trial is failed only once, and a resumed worker carries on numbering.
  EXPECT_TRUE(s->fail_stale_trials(study, 1.0).empty());
  EXPECT_EQ(s->create_trial(study).number, 21);
}

}  // namespace
}  // namespace pelagos::tune

namespace pelagos::tune {
namespace {

// Regression: the Study's heartbeat thread writes through the same storage (one
// SQLite connection) while the objective reports values; unguarded, the two
// threads interleaved inside one transaction and a COMMIT failed as "locked".
TEST(StorageSqlite, HeartbeatThreadSharesTheConnectionSafely) {
  test::TempDir dir;
  auto storage = open_storage("sqlite:///" + dir.file("hb.db"));
  StudyOptions options;
  options.heartbeat_interval_s = 0.001;
  Study study(*storage, "hb", StudyDirection::Maximize, make_sampler("random", 1), make_pruner("none"), options);
  const SearchSpace space{{"x", Distribution::Float(0, 1)}};
  const int ran = study.optimize(
      [&](Trial& trial) {
        const double x = trial.suggest("x", space.at("x")).get<double>();
        for (int step = 0; step < 100; ++step) trial.report(step, x * step);
        return x;
      },
      5);
  EXPECT_EQ(ran, 5);
  EXPECT_EQ(storage->count_trials(*storage->find_study("hb"), TrialState::Complete), 5);
}

}  // namespace
}  // namespace pelagos::tune
