#include "pelagos/tune/pruner.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos::tune {

Pruner::~Pruner() = default;

bool NopPruner::prune(const StudyView&, FrozenTrial&) { return false; }

namespace {

// True when all of `text` is one number of type T (from_chars: no spaces, no leftovers).
template <typename T>
bool parse_whole(const std::string& text, T& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

// Reads one KEY=VALUE option as a whole number; "auto" is accepted where the
// pruner can derive the value from the study (returns nullopt).
std::optional<int64_t> option_value(const std::string& pruner, const std::string& key, const std::string& value,
                                    bool auto_allowed) {
  if (auto_allowed && value == "auto") return std::nullopt;
  int64_t v = 0;
  if (!parse_whole(value, v))
    throw Error(fmt::format("{} pruner option {}={}: expected a whole number{}", pruner, key, value,
                            auto_allowed ? " or auto" : ""));
  return v;
}

int as_int(const std::string& pruner, const std::string& key, const std::string& value) {
  const int64_t v = *option_value(pruner, key, value, false);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    throw Error(fmt::format("{} pruner option {}={}: out of range", pruner, key, value));
  return static_cast<int>(v);
}

double as_number(const std::string& pruner, const std::string& key, const std::string& value) {
  double v = 0;
  if (!parse_whole(value, v) || !std::isfinite(v))
    throw Error(fmt::format("{} pruner option {}={}: expected a number", pruner, key, value));
  return v;
}

[[noreturn]] void unknown_option(const std::string& pruner, const std::string& key, const char* known) {
  throw Error(fmt::format("the {} pruner has no option '{}'; it takes {}", pruner, key, known));
}

}  // namespace

std::unique_ptr<Pruner> make_pruner(const std::string& name, const PrunerOptions& options) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "none" || n == "nop") {
    if (!options.empty())
      throw Error(fmt::format("pruner option {}={} given without a pruner; add --pruner median, "
                              "percentile, successive-halving or hyperband",
                              options.front().first, options.front().second));
    return std::make_unique<NopPruner>();
  }
  if (n == "median" || n == "percentile") {
    MedianPrunerParams p;
    std::optional<double> percentile;
    for (const auto& [key, value] : options) {
      if (key == "n_startup_trials") p.n_startup_trials = as_int(n, key, value);
      else if (key == "n_warmup_steps") p.n_warmup_steps = as_int(n, key, value);
      else if (key == "interval_steps") p.interval_steps = as_int(n, key, value);
      else if (key == "n_min_trials") p.n_min_trials = as_int(n, key, value);
      else if (key == "percentile" && n == "percentile") percentile = as_number(n, key, value);
      else unknown_option(n, key, n == "median" ? "n_startup_trials, n_warmup_steps, interval_steps and n_min_trials"
                                               : "percentile, n_startup_trials, n_warmup_steps, interval_steps and "
                                                 "n_min_trials");
    }
    if (n == "median") return std::make_unique<MedianPruner>(p);
    // Optuna has no default either: the share of trials kept is the point of choosing this pruner.
    if (!percentile)
      throw Error("the percentile pruner needs the share of trials it keeps at each step: "
                  "--pruner-option percentile=P (0-100; 75 prunes the bottom quarter, 50 is the median pruner)");
    return std::make_unique<PercentilePruner>(*percentile, p);
  }
  if (n == "successive-halving" || n == "sha") {
    SuccessiveHalvingParams p;
    for (const auto& [key, value] : options) {
      if (key == "min_resource") p.min_resource = option_value(n, key, value, true);
      else if (key == "reduction_factor") p.reduction_factor = as_int(n, key, value);
      else if (key == "min_early_stopping_rate") p.min_early_stopping_rate = as_int(n, key, value);
      else if (key == "bootstrap_count") p.bootstrap_count = as_int(n, key, value);
      else unknown_option(n, key, "min_resource, reduction_factor, min_early_stopping_rate and bootstrap_count");
    }
    return std::make_unique<SuccessiveHalvingPruner>(p);
  }
  if (n == "hyperband") {
    HyperbandParams p;
    for (const auto& [key, value] : options) {
      if (key == "min_resource") p.min_resource = *option_value(n, key, value, false);
      else if (key == "max_resource") p.max_resource = option_value(n, key, value, true);
      else if (key == "reduction_factor") p.reduction_factor = as_int(n, key, value);
      else if (key == "bootstrap_count") p.bootstrap_count = as_int(n, key, value);
      else unknown_option(n, key, "min_resource, max_resource, reduction_factor and bootstrap_count");
    }
    return std::make_unique<HyperbandPruner>(p);
  }
  throw Error("unknown pruner '" + name + "'; use none, median, percentile, successive-halving or hyperband");
}

PrunerOptions parse_pruner_options(const std::vector<std::string>& key_values) {
  PrunerOptions out;
  for (const std::string& kv : key_values) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == kv.size())
      throw Error(fmt::format("pruner option '{}': expected KEY=VALUE, e.g. n_warmup_steps=2", kv));
    out.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return out;
}

}  // namespace pelagos::tune
