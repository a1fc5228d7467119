// `pelagos study ...`: Optuna's CLI on a pelagos/Optuna storage, one process
// per call (create, ask, tell, best, trials, export, list, delete). The ask/tell
// pair lets any external loop (a shell script, a benchmark harness, a cluster
// scheduler) drive the search. Torch-free, so each call starts in milliseconds.
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "cli/cli.h"
#include "pelagos/error.h"
#include "pelagos/tune/study.h"
#include "tune/trials_export.h"
#include "util/atomic_file.h"

namespace pelagos::cli {
namespace {

using tune::redact_storage_url;
using tune::Storage;
using tune::StudyDirection;
using tune::TrialState;

// Defaults that `study create --sampler/--seed` records for later asks.
constexpr const char* kSamplerAttr = "pelagos:sampler";
constexpr const char* kSeedAttr = "pelagos:seed";

struct StudyArgs {
  std::string storage;
  std::string study_name;
  std::string direction;  // empty: the stored one (or minimize for a new study)
  bool skip_if_exists = false;
  std::string sampler;  // empty: the one recorded by create, else tpe
  std::optional<uint64_t> seed;
  std::string search_space = "{}";
  int trial_number = -1;
  std::vector<double> values;
  std::string state;
  bool skip_if_finished = false;
  std::string format;
  std::string out;
};

void add_storage_option(CLI::App* cmd, StudyArgs& a) {
  cmd->add_option("--storage", a.storage,
                  "Storage URL: sqlite:///path/study.db (Optuna's form), postgresql://user@host:port/db or memory")
      ->required();
}

void add_study_options(CLI::App* cmd, StudyArgs& a) {
  add_storage_option(cmd, a);
  cmd->add_option("--study-name", a.study_name, "Study name")->required();
}

void add_sampler_options(CLI::App* cmd, StudyArgs& a) {
  cmd->add_option("--sampler", a.sampler, "tpe, tpe-multivariate or random (default: as created, else tpe)");
  cmd->add_option("--seed", a.seed,
                  "Sampler seed; each trial derives its own randomness from it and its number, so repeated "
                  "asks with one seed are reproducible and still differ");
}

int64_t require_study(Storage& storage, const StudyArgs& a) {
  if (auto id = storage.find_study(a.study_name)) return *id;
  std::string names;
  for (const auto& s : storage.list_studies()) names += (names.empty() ? "" : ", ") + s.name;
  throw Error(fmt::format("no study named '{}' in {}{}; create it with `pelagos study create --storage {} "
                          "--study-name {}`",
                          a.study_name, redact_storage_url(a.storage),
                          names.empty() ? " (it holds no studies)" : " (studies: " + names + ")",
                          redact_storage_url(a.storage), a.study_name));
}

// The direction to open the study with: the stored one, checked against --direction.
StudyDirection direction_for(Storage& storage, const StudyArgs& a) {
  if (auto id = storage.find_study(a.study_name)) return storage.study_direction(*id);
  return a.direction.empty() ? StudyDirection::Minimize : tune::study_direction_from_string(a.direction);
}

std::unique_ptr<tune::Sampler> sampler_for(Storage& storage, const StudyArgs& a) {
  std::string name = a.sampler;
  std::optional<uint64_t> seed = a.seed;
  if (auto id = storage.find_study(a.study_name)) {
    const auto attrs = storage.study_system_attrs(*id);
    if (name.empty() && attrs.count(kSamplerAttr)) name = attrs.at(kSamplerAttr).get<std::string>();
    if (!seed && attrs.count(kSeedAttr)) seed = attrs.at(kSeedAttr).get<uint64_t>();
  }
  return tune::make_sampler(name.empty() ? "tpe" : name, seed);
}

void print_json_line(const nlohmann::json& j) { std::cout << j.dump() << "\n" << std::flush; }

void run_create(const StudyArgs& a, const GlobalOptions& global) {
  auto storage = tune::open_storage(a.storage);
  const auto direction = tune::study_direction_from_string(a.direction.empty() ? "minimize" : a.direction);
  auto existing = storage->find_study(a.study_name);
  int64_t id = 0;
  if (!existing) {
    try {
      id = storage->create_study(a.study_name, direction);
    } catch (const Error&) {  // another process created it since find_study
      existing = storage->find_study(a.study_name);
      if (!existing) throw;
    }
  }
  if (existing) {
    if (!a.skip_if_exists)
      throw Error(fmt::format("a study named '{}' already exists in {}; pass --skip-if-exists to reuse it",
                              a.study_name, redact_storage_url(a.storage)));
    if (storage->study_direction(*existing) != direction)
      throw Error(fmt::format("study '{}' in {} already exists with direction {}, not {}", a.study_name,
                              redact_storage_url(a.storage),
                              to_string(storage->study_direction(*existing)), to_string(direction)));
    if (!global.quiet) std::cerr << fmt::format("study '{}' already exists; reusing it\n", a.study_name);
    id = *existing;
  }
  if (!a.sampler.empty()) {
    tune::make_sampler(a.sampler, a.seed);  // validates the name now rather than at the first ask
    storage->set_study_system_attr(id, kSamplerAttr, a.sampler);
  }
  if (a.seed) storage->set_study_system_attr(id, kSeedAttr, *a.seed);
  std::cout << a.study_name << "\n";
}

void run_ask(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  nlohmann::json space_json = nlohmann::json::parse(a.search_space, nullptr, false);
  if (space_json.is_discarded() || !space_json.is_object())
    throw Error("--search-space is not a JSON object; give {\"name\": {\"name\": \"FloatDistribution\", "
                "\"attributes\": {...}}, ...} as Optuna's distribution_to_json writes it");
  const tune::SearchSpace space = tune::search_space_from_json(space_json);
  tune::Study study(*storage, a.study_name, direction_for(*storage, a), sampler_for(*storage, a));
  tune::Trial trial = study.ask(space);
  print_json_line({{"number", trial.number()}, {"params", trial.params()}});
}

void run_tell(const StudyArgs& a, const GlobalOptions& global) {
  auto storage = tune::open_storage(a.storage);
  const int64_t study_id = require_study(*storage, a);
  if (a.values.size() > 1)
    throw Error(fmt::format("--values has {} numbers; pelagos studies have a single objective", a.values.size()));
  TrialState state = TrialState::Complete;
  if (!a.state.empty()) state = tune::trial_state_from_string(a.state);
  if (!is_finished(state)) throw Error("--state must be complete, fail or pruned");
  if (state == TrialState::Complete && a.values.empty())
    throw Error("tell needs --values V for a complete trial, or --state fail|pruned");
  const auto trial_id = storage->trial_id_from_number(study_id, a.trial_number);
  if (!trial_id)
    throw Error(fmt::format("study '{}' has no trial number {} (it has {} trials)", a.study_name, a.trial_number,
                            storage->count_trials(study_id)));
  const TrialState current = storage->get_trial(*trial_id).state;
  if (is_finished(current) && a.skip_if_finished) {
    if (!global.quiet)
      std::cerr << fmt::format("trial {} is already finished ({}); skipped\n", a.trial_number, to_string(current));
    return;
  }
  tune::Study study(*storage, a.study_name, storage->study_direction(study_id));
  std::optional<double> value;
  if (!a.values.empty()) value = a.values.front();
  study.tell(a.trial_number, state, value);
}

void run_best(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  const int64_t study_id = require_study(*storage, a);
  tune::Study study(*storage, a.study_name, storage->study_direction(study_id));
  const auto best = study.best_trial();
  if (!best) throw Error(fmt::format("study '{}' has no COMPLETE trial yet", a.study_name));
  print_json_line(tune::trial_to_json(*best));
}

std::string render_trials(Storage& storage, const StudyArgs& a, const std::string& format) {
  const int64_t study_id = require_study(storage, a);
  const auto trials = storage.get_all_trials(study_id);
  if (format == "csv") return tune::trials_to_csv(trials);
  if (format == "json")
    return tune::trials_to_json(a.study_name, storage.study_direction(study_id), trials).dump(2) + "\n";
  return tune::trials_to_table(trials);
}

void run_trials(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  std::cout << render_trials(*storage, a, a.format) << std::flush;
}

void run_export(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  write_file_atomic(a.out, render_trials(*storage, a, a.format));
}

void run_list(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  const auto studies = storage->list_studies();
  if (a.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : studies) {
      list.push_back({{"study_name", s.name},
                      {"direction", to_string(s.direction)},
                      {"n_trials", s.n_trials},
                      {"best_value", s.best_trial && s.best_trial->value && std::isfinite(*s.best_trial->value)
                                         ? nlohmann::json(*s.best_trial->value)
                                         : nlohmann::json()}});
    }
    print_json_line(list);
    return;
  }
  std::cout << fmt::format("{:<32}  {:<9}  {:>8}  {}\n", "name", "direction", "n_trials", "best_value");
  for (const auto& s : studies) {
    const std::string best = s.best_trial && s.best_trial->value ? fmt::format("{}", *s.best_trial->value) : "-";
    std::cout << fmt::format("{:<32}  {:<9}  {:>8}  {}\n", s.name, to_string(s.direction), s.n_trials, best);
  }
}

void run_delete(const StudyArgs& a) {
  auto storage = tune::open_storage(a.storage);
  storage->delete_study(require_study(*storage, a));
}

}  // namespace

void add_study_command(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<StudyArgs>();
  StudyArgs& a = *args;
  CLI::App* study = app.add_subcommand("study", "Optuna-style studies: create, ask, tell, best, trials, export, list, "
                                                "delete (storage compatible with Optuna 3.1)");
  study->require_subcommand(1);
  study->footer("Examples:\n  pelagos study ask --storage sqlite:///study.db --study-name s --search-space \"$(cat space.json)\"\n"
                "  pelagos study tell --storage sqlite:///study.db --study-name s --trial-number 0 --values 0.91\n"
                "  pelagos study trials --storage sqlite:///study.db --study-name s --format table");

  CLI::App* create = study->add_subcommand("create", "Create a study");
  add_study_options(create, a);
  create->add_option("--direction", a.direction, "minimize (default) or maximize")
      ->check(CLI::IsMember({"minimize", "maximize"}, CLI::ignore_case));
  create->add_flag("--skip-if-exists", a.skip_if_exists, "Reuse an existing study of that name instead of failing");
  add_sampler_options(create, a);
  create->callback([args, &global] { run_create(*args, global); });

  CLI::App* ask = study->add_subcommand(
      "ask", "Start a trial and print {\"number\": N, \"params\": {...}} (creates the study if missing)");
  add_study_options(ask, a);
  ask->add_option("--search-space", a.search_space,
                  "JSON {\"param\": Optuna distribution JSON, ...} (default: {}, no parameters)");
  ask->add_option("--direction", a.direction, "Direction if the study is created here (default minimize)")
      ->check(CLI::IsMember({"minimize", "maximize"}, CLI::ignore_case));
  add_sampler_options(ask, a);
  ask->callback([args] { run_ask(*args); });

  CLI::App* tell = study->add_subcommand("tell", "Finish a trial with its objective value or a state");
  add_study_options(tell, a);
  tell->add_option("--trial-number", a.trial_number, "The number `ask` printed")->required();
  tell->add_option("--values", a.values, "Objective value (a NaN value fails the trial, as in Optuna)");
  tell->add_option("--state", a.state, "complete (default with --values), fail or pruned")
      ->check(CLI::IsMember({"complete", "fail", "pruned"}, CLI::ignore_case));
  tell->add_flag("--skip-if-finished", a.skip_if_finished, "Do nothing if the trial is already finished");
  tell->callback([args, &global] { run_tell(*args, global); });

  CLI::App* best = study->add_subcommand("best", "Print the best COMPLETE trial as JSON");
  add_study_options(best, a);
  best->callback([args] { run_best(*args); });

  CLI::App* trials = study->add_subcommand("trials", "Print every trial");
  add_study_options(trials, a);
  trials->add_option("--format", a.format, "table (default), json or csv (Optuna's trials_dataframe columns)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->default_val("table");
  trials->callback([args] { run_trials(*args); });

  CLI::App* exp = study->add_subcommand("export", "Write every trial to a file (CSV or JSON)");
  add_study_options(exp, a);
  exp->add_option("--format", a.format, "csv (Optuna's trials_dataframe columns) or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->required();
  exp->add_option("--out", a.out, "Output file (written atomically)")->required();
  exp->callback([args] { run_export(*args); });

  CLI::App* list = study->add_subcommand("list", "List the studies in a storage");
  add_storage_option(list, a);
  list->add_option("--format", a.format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->default_val("table");
  list->callback([args] { run_list(*args); });

  CLI::App* del = study->add_subcommand("delete", "Delete a study and all its trials");
  add_study_options(del, a);
  del->callback([args] { run_delete(*args); });
}

}  // namespace pelagos::cli
