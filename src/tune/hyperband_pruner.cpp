// Optuna's HyperbandPruner: successive-halving brackets with different early
// stopping rates; trials are spread over the brackets by a hash of the study
// name and trial number, in proportion to each bracket's budget, and compete
// only with the trials of their own bracket.
#include <cmath>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "pelagos/tune/pruner.h"

namespace pelagos::tune {
namespace {

// zlib's CRC-32 (binascii.crc32).
uint32_t crc32(const std::string& s) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : s) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace

void HyperbandParams::validate() const {
  auto fail = [](const std::string& what) { throw Error("hyperband pruner: " + what); };
  if (min_resource < 1) fail(fmt::format("min_resource must be >= 1 (got {})", min_resource));
  if (max_resource && *max_resource < min_resource)
    fail(fmt::format("max_resource ({}) must be >= min_resource ({})", *max_resource, min_resource));
  if (reduction_factor < 2) fail(fmt::format("reduction_factor must be >= 2 (got {})", reduction_factor));
  if (bootstrap_count < 0) fail(fmt::format("bootstrap_count must be >= 0 (got {})", bootstrap_count));
  if (bootstrap_count > 0 && !max_resource) fail("bootstrap_count > 0 needs an explicit max_resource, not auto");
}

HyperbandPruner::HyperbandPruner(HyperbandParams params) : params_(params) { params_.validate(); }

void HyperbandPruner::try_initialise(const StudyView& study) {
  if (!params_.max_resource) {
    std::optional<int64_t> last;
    for (const FrozenTrial& t : study.trials)
      if (t.state == TrialState::Complete)
        if (auto s = t.last_step()) last = std::max(last.value_or(*s), *s);
    if (!last) return;
    params_.max_resource = *last + 1;
  }
  const double ratio = static_cast<double>(*params_.max_resource) / static_cast<double>(params_.min_resource);
  const int n_brackets = static_cast<int>(std::floor(std::log(ratio) / std::log(params_.reduction_factor))) + 1;
  for (int b = 0; b < n_brackets; ++b) {
    const int s = n_brackets - 1 - b;
    const auto budget = static_cast<int64_t>(
        std::ceil(n_brackets * std::pow(params_.reduction_factor, s) / static_cast<double>(s + 1)));
    budgets_.push_back(budget);
    total_budget_ += budget;
    SuccessiveHalvingParams sh;
    sh.min_resource = params_.min_resource;
    sh.reduction_factor = params_.reduction_factor;
    sh.min_early_stopping_rate = b;
    sh.bootstrap_count = params_.bootstrap_count;
    brackets_.emplace_back(sh);
  }
}

int HyperbandPruner::bracket_of(const std::string& study_name, int number) const {
  if (brackets_.empty()) return -1;
  auto n = static_cast<int64_t>(crc32(study_name + "_" + std::to_string(number)) % static_cast<uint64_t>(total_budget_));
  for (size_t b = 0; b < budgets_.size(); ++b) {
    n -= budgets_[b];
    if (n < 0) return static_cast<int>(b);
  }
  return static_cast<int>(budgets_.size()) - 1;
}

bool HyperbandPruner::prune(const StudyView& study, FrozenTrial& trial) {
  if (brackets_.empty()) {
    try_initialise(study);
    if (brackets_.empty()) return false;
  }
  const int bracket = bracket_of(study.study_name, trial.number);
  std::vector<FrozenTrial> members;
  for (const FrozenTrial& t : study.trials)
    if (bracket_of(study.study_name, t.number) == bracket) members.push_back(t);
  const StudyView bracket_view{study.study_name, study.direction, members};
  return brackets_[static_cast<size_t>(bracket)].prune(bracket_view, trial);
}

}  // namespace pelagos::tune
