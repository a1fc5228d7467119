#include "report/importance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace pelagos::report {
namespace {

constexpr int kMaxBins = 5;

// Group index per trial: one per categorical choice or distinct value when
// there are few, else equal-count bins of the sorted (log-)values.
std::vector<int> groups_of(const std::vector<double>& values, bool categorical) {
  std::set<double> distinct(values.begin(), values.end());
  std::vector<int> group(values.size());
  const int bins = std::min<int>(kMaxBins, static_cast<int>(values.size()) / 2);
  if (categorical || static_cast<int>(distinct.size()) <= bins) {
    std::map<double, int> index;
    for (double v : distinct) index.emplace(v, static_cast<int>(index.size()));
    for (size_t i = 0; i < values.size(); ++i) group[i] = index[values[i]];
    return group;
  }
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  for (size_t rank = 0; rank < order.size(); ++rank) {
    int b = static_cast<int>(rank * bins / order.size());
    // Equal values share a bin (ties never split across bins).
    if (rank > 0 && values[order[rank]] == values[order[rank - 1]]) b = group[order[rank - 1]];
    group[order[rank]] = b;
  }
  return group;
}

double epsilon_squared(const std::vector<int>& group, int groups, const std::vector<double>& y) {
  const int n = static_cast<int>(y.size());
  if (groups < 2 || n - groups < 1) return 0;
  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  double total = 0;
  for (double v : y) total += (v - mean) * (v - mean);
  if (total <= 0) return 0;
  std::map<int, std::pair<double, int>> sums;
  for (size_t i = 0; i < y.size(); ++i) {
    sums[group[i]].first += y[i];
    sums[group[i]].second += 1;
  }
  double within = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double m = sums[group[i]].first / sums[group[i]].second;
    within += (y[i] - m) * (y[i] - m);
  }
  return std::clamp(1.0 - (within / (n - groups)) / (total / (n - 1)), 0.0, 1.0);
}

}  // namespace

std::vector<ParamImportance> param_importance(const std::vector<tune::FrozenTrial>& trials) {
  std::vector<const tune::FrozenTrial*> done;
  for (const auto& t : trials)
    if (t.state == tune::TrialState::Complete && t.value && std::isfinite(*t.value)) done.push_back(&t);
  if (done.size() < 3) return {};
  std::vector<double> y;
  for (const auto* t : done) y.push_back(*t->value);
  if (*std::max_element(y.begin(), y.end()) == *std::min_element(y.begin(), y.end())) return {};

  std::map<std::string, tune::Distribution> space;
  for (const auto* t : done)
    for (const auto& [name, dist] : t->distributions) space.emplace(name, dist);
  std::vector<ParamImportance> out;
  double sum = 0;
  for (const auto& [name, dist] : space) {
    std::vector<double> x, yy;
    for (size_t i = 0; i < done.size(); ++i) {
      auto it = done[i]->params.find(name);
      if (it == done[i]->params.end()) continue;
      x.push_back(dist.log && it->second > 0 ? std::log(it->second) : it->second);
      yy.push_back(y[i]);
    }
    if (x.size() < 3) continue;
    const std::vector<int> g = groups_of(x, dist.kind == tune::Distribution::Kind::Categorical);
    ParamImportance p;
    p.name = name;
    p.groups = *std::max_element(g.begin(), g.end()) + 1;
    p.epsilon_squared = epsilon_squared(g, p.groups, yy);
    sum += p.epsilon_squared;
    out.push_back(p);
  }
  for (auto& p : out) p.share = sum > 0 ? p.epsilon_squared / sum : 0.0;
  std::stable_sort(out.begin(), out.end(), [](const ParamImportance& a, const ParamImportance& b) {
    return a.epsilon_squared > b.epsilon_squared;
  });
  return out;
}

}  // namespace pelagos::report
