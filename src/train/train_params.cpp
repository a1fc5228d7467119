// TrainParams <-> JSON with validation. The allowed ranges live here only;
// they are wider than the original search space (see tune) so that any value
// a study can suggest also passes.
#include <fmt/format.h>

#include <cmath>

#include "pelagos/error.h"
#include "pelagos/train.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

struct IntRange {
  const char* key;
  int TrainParams::*field;
  int min, max;
};
struct RealRange {
  const char* key;
  double TrainParams::*field;
  double min, max;
  bool min_open;  // (min, max] instead of [min, max]
};

const IntRange kIntRanges[] = {
    {"num_hidden_layers", &TrainParams::num_hidden_layers, 0, 8},
    {"neurons", &TrainParams::neurons, 1, 65536},
    {"epochs", &TrainParams::epochs, 1, 10000},
    {"batch_size", &TrainParams::batch_size, 1, 65536},
    {"trainable_layers", &TrainParams::trainable_layers, 0, kAllTrainableLayers},
};
const RealRange kRealRanges[] = {
    {"lr", &TrainParams::lr, 0.0, 10.0, true},
    {"dropout", &TrainParams::dropout, 0.0, 0.99, false},
    {"weight_decay", &TrainParams::weight_decay, 0.0, 1.0, false},
};
const char* const kOtherKeys[] = {"optimizer", "class_weights", "seed", "clip_aggregation"};

template <typename Enum, size_t N>
Enum parse_enum(const std::string& text, const std::pair<const char*, Enum> (&names)[N], const std::string& what) {
  std::string allowed;
  for (const auto& [name, value] : names) {
    if (text == name) return value;
    allowed += allowed.empty() ? name : std::string("|") + name;
  }
  throw Error(fmt::format("{}: '{}' is not one of {}", what, text, allowed));
}

const std::pair<const char*, OptimizerKind> kOptimizers[] = {
    {"Adam", OptimizerKind::Adam}, {"SGD", OptimizerKind::SGD}, {"RMSprop", OptimizerKind::RMSprop}};
const std::pair<const char*, ClassWeighting> kWeightings[] = {{"none", ClassWeighting::None},
                                                              {"balanced", ClassWeighting::Balanced}};
const std::pair<const char*, ClipAggregation> kAggregations[] = {
    {"mean", ClipAggregation::Mean}, {"max", ClipAggregation::Max}, {"vote", ClipAggregation::Vote}};

template <typename Enum, size_t N>
const char* enum_name(Enum value, const std::pair<const char*, Enum> (&names)[N]) {
  for (const auto& [name, v] : names)
    if (v == value) return name;
  return "?";
}

std::string expect_string(const nlohmann::json& v, const std::string& what) {
  if (!v.is_string()) throw Error(fmt::format("{}: expected a string, got {}", what, v.dump()));
  return v.get<std::string>();
}

}  // namespace

const char* to_string(OptimizerKind kind) { return enum_name(kind, kOptimizers); }
const char* to_string(ClassWeighting weighting) { return enum_name(weighting, kWeightings); }
const char* to_string(ClipAggregation aggregation) { return enum_name(aggregation, kAggregations); }

ClipAggregation parse_clip_aggregation(const std::string& text, const std::string& what) {
  return parse_enum(text, kAggregations, what);
}

int parse_trainable_layers(const std::string& text, const std::string& what) {
  if (text == "all") return kAllTrainableLayers;
  size_t used = 0;
  int value = -1;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 0 || value > kAllTrainableLayers)
    throw Error(fmt::format("{} {}: expected 0 to {} or 'all'", what, text, kAllTrainableLayers));
  return value;
}

void TrainParams::validate(const std::string& source) const {
  for (const auto& r : kIntRanges) {
    int v = this->*r.field;
    if (v < r.min || v > r.max)
      throw Error(fmt::format("{}: {} = {} is outside [{}, {}]", source, r.key, v, r.min, r.max));
  }
  for (const auto& r : kRealRanges) {
    double v = this->*r.field;
    bool low = r.min_open ? !(v > r.min) : !(v >= r.min);
    if (!std::isfinite(v) || low || v > r.max)
      throw Error(fmt::format("{}: {} = {} is outside {}{}, {}]", source, r.key, v, r.min_open ? "(" : "[",
                              r.min, r.max));
  }
}

TrainParams TrainParams::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw Error(fmt::format("{}: expected a JSON object of hyperparameters", source));
  TrainParams p;
  for (const auto& [key, value] : j.items()) {
    const std::string what = fmt::format("{}: {}", source, key);
    bool known = false;
    for (const auto& r : kIntRanges) {
      if (key != r.key) continue;
      known = true;
      if (key == "trainable_layers" && value.is_string()) {
        p.trainable_layers = parse_trainable_layers(value.get<std::string>(), what);
      } else if (value.is_number_integer() ||
                 (value.is_number_float() && value.get<double>() == std::floor(value.get<double>()))) {
        double d = value.get<double>();
        if (d < r.min || d > r.max)
          throw Error(fmt::format("{} = {} is outside [{}, {}]", what, value.dump(), r.min, r.max));
        p.*r.field = static_cast<int>(d);
      } else {
        throw Error(fmt::format("{}: expected an integer in [{}, {}], got {}", what, r.min, r.max, value.dump()));
      }
    }
    for (const auto& r : kRealRanges) {
      if (key != r.key) continue;
      known = true;
      if (!value.is_number()) throw Error(fmt::format("{}: expected a number, got {}", what, value.dump()));
      p.*r.field = value.get<double>();
    }
    if (key == "optimizer") {
      known = true;
      p.optimizer = parse_enum(expect_string(value, what), kOptimizers, what);
    } else if (key == "class_weights") {
      known = true;
      p.class_weights = parse_enum(expect_string(value, what), kWeightings, what);
    } else if (key == "clip_aggregation") {
      known = true;
      p.clip_aggregation = parse_enum(expect_string(value, what), kAggregations, what);
    } else if (key == "seed") {
      known = true;
      if (!value.is_number_unsigned())
        throw Error(fmt::format("{}: expected a non-negative integer, got {}", what, value.dump()));
      p.seed = value.get<uint64_t>();
    }
    if (!known) {
      std::string keys;
      for (const auto& r : kIntRanges) keys += std::string(keys.empty() ? "" : ", ") + r.key;
      for (const auto& r : kRealRanges) keys += std::string(", ") + r.key;
      for (const char* k : kOtherKeys) keys += std::string(", ") + k;
      throw Error(fmt::format("{}: unknown key '{}' (known: {})", source, key, keys));
    }
  }
  p.validate(source);
  return p;
}

nlohmann::json TrainParams::to_json() const {
  nlohmann::json j;
  for (const auto& r : kIntRanges) j[r.key] = this->*r.field;
  for (const auto& r : kRealRanges) j[r.key] = this->*r.field;
  if (trainable_layers == kAllTrainableLayers) j["trainable_layers"] = "all";
  j["optimizer"] = to_string(optimizer);
  j["class_weights"] = to_string(class_weights);
  j["seed"] = seed;
  j["clip_aggregation"] = to_string(clip_aggregation);
  return j;
}

TrainParams read_train_params(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
  return TrainParams::from_json(j, path);
}

}  // namespace pelagos
