#include "report/report_fixture.h"

namespace pelagos::test {

ReportData sample_report_data() {
  using tune::Distribution;
  using tune::TrialState;
  StudySnapshot s;
  s.name = "fixture";
  s.storage = "sqlite:///fixture.db";
  s.direction = tune::StudyDirection::Maximize;
  const Distribution lr = Distribution::Float(1e-4, 1e-1, true);
  const Distribution units = Distribution::Categorical({"small", "large"});
  // lr drives the value; units alternates independently of it.
  const double lrs[] = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2};
  const TrialState states[] = {TrialState::Complete, TrialState::Complete, TrialState::Pruned,
                               TrialState::Complete, TrialState::Complete, TrialState::Fail};
  for (int i = 0; i < 6; ++i) {
    tune::FrozenTrial t;
    t.trial_id = i + 1;
    t.number = i;
    t.state = states[i];
    t.params = {{"lr", lrs[i]}, {"units", double(i % 2)}};
    t.distributions = {{"lr", lr}, {"units", units}};
    const double final_value = 0.3 + 0.1 * i;
    const int epochs = t.state == TrialState::Pruned ? 1 : 3;
    for (int e = 0; e < epochs; ++e) t.intermediate_values[e] = final_value * (e + 1) / 3.0;
    if (t.state == TrialState::Complete) t.value = final_value;
    if (t.state == TrialState::Pruned) t.value = t.intermediate_values.rbegin()->second;
    s.trials.push_back(t);
  }
  s.system_attrs["pelagos:setup"] = {{"data", "/data/watkins"},
                                     {"objective", "validate"},
                                     {"base_weights", {{"pretrained", false}, {"seed", 7}}},
                                     {"frontend", {{"name", "vggish"}}}};
  ReportData d;
  d.study = s;
  const std::vector<std::string> labels = {"Bowhead", kHostileSpecies, "Humpback"};
  d.evaluation = {{"split", "test"},
                  {"model", "best.pelagos"},
                  {"data", "/data/watkins"},
                  {"clips", 30},
                  {"accuracy", 0.8},
                  {"balanced_accuracy", 0.78},
                  {"macro_f1", 0.77},
                  {"labels", labels},
                  {"confusion_matrix", {{9, 1, 0}, {2, 7, 1}, {0, 2, 8}}},
                  {"per_class",
                   {{"Bowhead", {{"precision", 9.0 / 11}, {"recall", 0.9}, {"f1", 0.857}, {"support", 10}}},
                    {kHostileSpecies, {{"precision", 0.7}, {"recall", 0.7}, {"f1", 0.7}, {"support", 10}}},
                    {"Humpback", {{"precision", 8.0 / 9}, {"recall", 0.8}, {"f1", 0.842}, {"support", 10}}}}}};
  d.dataset = {{"root", "/data/watkins"},
               {"splits",
                {{{"split", "train"},
                  {"unreadable", 0},
                  {"species",
                   {{{"species", "Bowhead"}, {"files", 12}, {"seconds", 120.0}},
                    {{"species", kHostileSpecies}, {"files", 5}, {"seconds", 30.0}}}}},
                 {{"split", "test"},
                  {"unreadable", 1},
                  {"species", {{{"species", "Humpback"}, {"files", 3}, {"seconds", 12.0}}}}}}}};
  d.machine = {{"host", "testhost"}, {"os", "Linux"}, {"cpu", "test cpu"}, {"cores", 2}};
  d.generated_at = "2026-01-01T00:00:00Z";
  return d;
}

}  // namespace pelagos::test
