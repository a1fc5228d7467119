// Pruners decide, from a running trial's intermediate values and the study's
// history, whether to stop it early (Optuna's pruners, same defaults).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pelagos/tune/sampler.h"

namespace pelagos::tune {

class Pruner {
 public:
  virtual ~Pruner();
  // `trial` is the running trial (its latest report included). A pruner may
  // add system attrs to it (successive halving records its rungs); the study
  // stores the ones it adds.
  virtual bool prune(const StudyView& study, FrozenTrial& trial) = 0;
};

class NopPruner final : public Pruner {
 public:
  bool prune(const StudyView& study, FrozenTrial& trial) override;
};

// Settings of the median and percentile pruners (Optuna's names and defaults).
struct MedianPrunerParams {
  int n_startup_trials = 5;   // no pruning until this many trials completed
  int n_warmup_steps = 0;     // no pruning before this step
  int interval_steps = 1;     // check every this many steps after the warm-up
  int n_min_trials = 1;       // at least this many completed trials reported the step
  void validate() const;
};

// Prunes when the trial's best value so far is outside the best `percentile`
// percent of the completed trials' values at the same step (Optuna's
// PercentilePruner: percentile 75 keeps the top three quarters).
class PercentilePruner : public Pruner {
 public:
  PercentilePruner(double percentile, MedianPrunerParams params = {});
  bool prune(const StudyView& study, FrozenTrial& trial) override;

 private:
  double percentile_;
  MedianPrunerParams params_;
};

// Prunes trials worse than the median: PercentilePruner(50).
class MedianPruner final : public PercentilePruner {
 public:
  explicit MedianPruner(MedianPrunerParams params = {}) : PercentilePruner(50.0, params) {}
};

struct SuccessiveHalvingParams {
  std::optional<int64_t> min_resource;  // nullopt = "auto" (last step of completed trials / 100)
  int reduction_factor = 4;
  int min_early_stopping_rate = 0;
  int bootstrap_count = 0;
  void validate() const;
};

// Asynchronous successive halving: at rung r (step min_resource *
// reduction_factor^(min_early_stopping_rate + r)) a trial continues only if it
// is in the top 1/reduction_factor of the values recorded at that rung.
class SuccessiveHalvingPruner final : public Pruner {
 public:
  explicit SuccessiveHalvingPruner(SuccessiveHalvingParams params = {});
  bool prune(const StudyView& study, FrozenTrial& trial) override;

 private:
  SuccessiveHalvingParams params_;
  std::optional<int64_t> min_resource_;  // resolved "auto"
};

struct HyperbandParams {
  int64_t min_resource = 1;
  std::optional<int64_t> max_resource;  // nullopt = "auto" (largest step of completed trials + 1)
  int reduction_factor = 3;
  int bootstrap_count = 0;
  void validate() const;
};

// Several successive-halving brackets; a trial's bracket is
// crc32("<study name>_<trial number>") over the brackets' budgets, as Optuna.
class HyperbandPruner final : public Pruner {
 public:
  explicit HyperbandPruner(HyperbandParams params = {});
  bool prune(const StudyView& study, FrozenTrial& trial) override;
  // The bracket of trial `number` (-1 before the brackets exist).
  int bracket_of(const std::string& study_name, int number) const;
  int n_brackets() const { return static_cast<int>(brackets_.size()); }

 private:
  void try_initialise(const StudyView& study);

  HyperbandParams params_;
  std::vector<SuccessiveHalvingPruner> brackets_;
  std::vector<int64_t> budgets_;
  int64_t total_budget_ = 0;
};

// KEY=VALUE settings named as Optuna's constructor arguments, e.g.
// {"n_warmup_steps", "2"}; in the order given (a repeated key: the last wins).
using PrunerOptions = std::vector<std::pair<std::string, std::string>>;

// "none"/"nop", "median", "percentile" (needs the option percentile=P),
// "successive-halving"/"sha", "hyperband": Optuna's
// defaults, changed by `options`. An unknown or malformed option is an Error
// that names it and lists the pruner's options.
std::unique_ptr<Pruner> make_pruner(const std::string& name, const PrunerOptions& options = {});

// Splits "KEY=VALUE" strings (the CLI's --pruner-option) into PrunerOptions.
PrunerOptions parse_pruner_options(const std::vector<std::string>& key_values);

}  // namespace pelagos::tune
