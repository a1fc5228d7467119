#include "pelagos/tune/pruner.h"

#include <algorithm>
#include <cctype>

#include "pelagos/error.h"

namespace pelagos::tune {

Pruner::~Pruner() = default;

bool NopPruner::prune(const StudyView&, FrozenTrial&) { return false; }

std::unique_ptr<Pruner> make_pruner(const std::string& name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "none" || n == "nop") return std::make_unique<NopPruner>();
  if (n == "median") return std::make_unique<MedianPruner>();
  if (n == "successive-halving" || n == "sha") return std::make_unique<SuccessiveHalvingPruner>();
  if (n == "hyperband") return std::make_unique<HyperbandPruner>();
  throw Error("unknown pruner '" + name + "'; use none, median, successive-halving or hyperband");
}

}  // namespace pelagos::tune
