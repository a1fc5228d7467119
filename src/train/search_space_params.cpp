// Torch-free (the *_params.cpp rule puts it in pelagos_core).
#include <fmt/format.h>

#include "pelagos/error.h"
#include "train/search_space.h"
#include "util/atomic_file.h"

namespace pelagos {

tune::SearchSpace original_search_space() {
  using tune::Distribution;
  return {
      {"num_hidden_layers", Distribution::Int(1, 5)},
      {"neurons", Distribution::Int(512, 8192, false, 512)},
      {"epochs", Distribution::Int(4, 12, false, 2)},
      {"lr", Distribution::Float(1e-5, 1e-3, true)},
      {"dropout", Distribution::Float(0.1, 0.5, false, 0.1)},
      {"batch_size", Distribution::Categorical({16, 32, 64})},
      {"optimizer", Distribution::Categorical({"Adam", "SGD", "RMSprop"})},
      {"weight_decay", Distribution::Float(1e-5, 1e-3, true)},
  };
}

tune::SearchSpace demo_search_space() {
  using tune::Distribution;
  return {
      {"num_hidden_layers", Distribution::Int(1, 2)},
      {"neurons", Distribution::Int(128, 512, false, 128)},
      {"epochs", Distribution::Int(10, 30, false, 10)},
      {"lr", Distribution::Float(1e-4, 1e-2, true)},
      {"dropout", Distribution::Float(0.1, 0.3, false, 0.1)},
      {"batch_size", Distribution::Categorical({16, 32})},
      {"optimizer", Distribution::Categorical({"Adam", "RMSprop"})},
      {"weight_decay", Distribution::Float(1e-5, 1e-3, true)},
  };
}

tune::SearchSpace read_search_space(const std::string& path, const TrialConfig& base) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON ({}). Expected Optuna distributions, e.g. "
                            "{{\"lr\": {{\"name\": \"FloatDistribution\", \"attributes\": {{\"low\": 1e-5, "
                            "\"high\": 1e-3, \"log\": true, \"step\": null}}}}}}",
                            path, e.what()));
  }
  tune::SearchSpace space;
  try {
    space = tune::search_space_from_json(j);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
  if (space.empty()) throw Error(fmt::format("{}: the search space is empty", path));
  // Every name must be a training parameter, and both ends of every range valid for it.
  for (bool upper : {false, true}) {
    nlohmann::json probe = nlohmann::json::object();
    for (const auto& [name, dist] : space) {
      const bool categorical = dist.kind == tune::Distribution::Kind::Categorical;
      const double end = categorical ? (upper ? double(dist.choices.size() - 1) : 0.0) : (upper ? dist.high : dist.low);
      probe[name] = dist.to_external(end);
    }
    params_for_trial(base, probe, path);
  }
  return space;
}

TrialConfig params_for_trial(const TrialConfig& base, const nlohmann::json& trial_params, const std::string& source) {
  nlohmann::json train = base.train.to_json(), augment = base.augment.to_json(), frontend = base.frontend.to_json();
  for (const auto& [name, value] : trial_params.items()) {
    if (AugmentParams::is_key(name)) {
      augment[name] = value;
    } else if (name == "denoise") {
      frontend[name] = value.is_boolean() ? (value.get<bool>() ? "spectral-gate" : "off") : value;
    } else if (name.rfind("denoise_", 0) == 0) {
      frontend[name] = value;
    } else {
      train[name] = value;
    }
  }
  TrialConfig out;
  out.train = TrainParams::from_json(train, source);
  out.augment = AugmentParams::from_json(augment, source);
  try {
    out.frontend = FrontendParams::from_json(frontend);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", source, e.what()));
  }
  return out;
}

std::vector<nlohmann::json> read_enqueued_trials(const std::string& path, const tune::SearchSpace& space,
                                                 const TrialConfig& base) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON ({}). Expected trials to enqueue, e.g. "
                            "[{{\"lr\": 1e-4, \"optimizer\": \"Adam\"}}, {{\"lr\": 3e-4}}]",
                            path, e.what()));
  }
  if (j.is_object()) j = nlohmann::json::array({j});
  if (!j.is_array() || j.empty())
    throw Error(fmt::format("{}: expected a JSON object of parameters or a non-empty list of them", path));
  std::vector<nlohmann::json> trials;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string where = fmt::format("{}: trial {} of {}", path, i + 1, j.size());
    if (!j[i].is_object()) throw Error(where + ": expected an object {\"name\": value, ...}");
    for (const auto& [name, value] : j[i].items()) {
      const auto dist = space.find(name);
      if (dist == space.end())
        throw Error(fmt::format("{}: '{}' is not in the search space (fixed values go in --params)", where, name));
      try {
        dist->second.to_internal(value);
      } catch (const Error& e) {
        throw Error(fmt::format("{}: '{}' = {}: {}", where, name, value.dump(), e.what()));
      }
    }
    params_for_trial(base, j[i], where);
    trials.push_back(j[i]);
  }
  return trials;
}

}  // namespace pelagos
