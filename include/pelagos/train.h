// Classifier training hyperparameters: the original's 8-parameter search space
// (names exactly as in its Optuna study and in params.json) plus the choices
// pelagos adds. Defaults are the original's published best trial.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pelagos {

enum class OptimizerKind { Adam, SGD, RMSprop };
enum class ClassWeighting { None, Balanced };
// How a clip's patch logits become one clip decision.
enum class ClipAggregation { Mean, Max, Vote };

// --trainable-layers all: every features module is fine-tuned.
constexpr int kAllTrainableLayers = 16;

struct TrainParams {
  int num_hidden_layers = 1;
  int neurons = 4608;
  int epochs = 8;
  double lr = 1.13e-5;
  double dropout = 0.3;
  int batch_size = 64;
  OptimizerKind optimizer = OptimizerKind::RMSprop;
  double weight_decay = 1.6e-4;
  int trainable_layers = 5;  // last N modules of VGGish `features`; 0 = frozen extractor
  ClassWeighting class_weights = ClassWeighting::None;
  uint64_t seed = 0;
  ClipAggregation clip_aggregation = ClipAggregation::Mean;

  // Every key is optional (missing keys keep their defaults); unknown keys and
  // values out of range throw pelagos::Error naming the key and the range.
  static TrainParams from_json(const nlohmann::json& j, const std::string& source = "params");
  nlohmann::json to_json() const;
  void validate(const std::string& source = "params") const;
};

const char* to_string(OptimizerKind kind);
const char* to_string(ClassWeighting weighting);
const char* to_string(ClipAggregation aggregation);
// "all" or 0..16; throws pelagos::Error naming `what`.
int parse_trainable_layers(const std::string& text, const std::string& what = "--trainable-layers");
ClipAggregation parse_clip_aggregation(const std::string& text, const std::string& what);

// Reads a params.json file (throws pelagos::Error naming the file and the key).
TrainParams read_train_params(const std::string& path);

}  // namespace pelagos
