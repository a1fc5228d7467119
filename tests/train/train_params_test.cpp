#include "pelagos/train.h"

#include <gtest/gtest.h>

#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

std::string error_of(const nlohmann::json& j) {
  try {
    TrainParams::from_json(j, "params.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(TrainParams, DefaultsAreTheOriginalsBestTrial) {
  TrainParams p;
  EXPECT_EQ(p.num_hidden_layers, 1);
  EXPECT_EQ(p.neurons, 4608);
  EXPECT_EQ(p.epochs, 8);
  EXPECT_DOUBLE_EQ(p.lr, 1.13e-5);
  EXPECT_DOUBLE_EQ(p.dropout, 0.3);
  EXPECT_EQ(p.batch_size, 64);
  EXPECT_EQ(p.optimizer, OptimizerKind::RMSprop);
  EXPECT_DOUBLE_EQ(p.weight_decay, 1.6e-4);
  EXPECT_EQ(p.trainable_layers, 5);
  EXPECT_NO_THROW(p.validate());
}

TEST(TrainParams, JsonRoundTripUsesTheStudyNames) {
  auto j = nlohmann::json::parse(R"({"num_hidden_layers": 2, "neurons": 512, "epochs": 6, "lr": 3.67e-5,
      "dropout": 0.1, "batch_size": 16, "optimizer": "Adam", "weight_decay": 9.1e-4,
      "trainable_layers": "all", "class_weights": "balanced", "seed": 3, "clip_aggregation": "vote"})");
  TrainParams p = TrainParams::from_json(j);
  EXPECT_EQ(p.num_hidden_layers, 2);
  EXPECT_EQ(p.optimizer, OptimizerKind::Adam);
  EXPECT_EQ(p.trainable_layers, kAllTrainableLayers);
  EXPECT_EQ(p.class_weights, ClassWeighting::Balanced);
  EXPECT_EQ(p.clip_aggregation, ClipAggregation::Vote);
  EXPECT_EQ(p.seed, 3u);
  EXPECT_EQ(p.to_json(), j);
  // Optuna stores integers of a float distribution as 6.0 sometimes: accept whole floats.
  EXPECT_EQ(TrainParams::from_json({{"epochs", 6.0}}).epochs, 6);
}

TEST(TrainParams, BadKeysAndValuesNameTheKeyAndRange) {
  EXPECT_NE(error_of({{"neuron", 5}}).find("unknown key 'neuron'"), std::string::npos);
  EXPECT_NE(error_of({{"dropout", 1.5}}).find("dropout = 1.5 is outside [0, 0.99]"), std::string::npos);
  EXPECT_NE(error_of({{"lr", 0}}).find("lr = 0 is outside (0, 10]"), std::string::npos);
  EXPECT_NE(error_of({{"epochs", 0}}).find("epochs = 0 is outside [1, 10000]"), std::string::npos);
  EXPECT_NE(error_of({{"batch_size", 2.5}}).find("batch_size: expected an integer"), std::string::npos);
  EXPECT_NE(error_of({{"optimizer", "adam"}}).find("'adam' is not one of Adam|SGD|RMSprop"), std::string::npos);
  EXPECT_NE(error_of({{"trainable_layers", "17"}}).find("expected 0 to 16 or 'all'"), std::string::npos);
  EXPECT_NE(error_of({{"seed", -1}}).find("seed: expected a non-negative integer"), std::string::npos);
  EXPECT_NE(error_of(nlohmann::json::array()).find("expected a JSON object"), std::string::npos);
}

TEST(TrainParams, ReadsAFileAndNamesItInErrors) {
  test::TempDir dir;
  write_file_atomic(dir.file("p.json"), R"({"epochs": 4, "optimizer": "SGD"})");
  TrainParams p = read_train_params(dir.file("p.json"));
  EXPECT_EQ(p.epochs, 4);
  EXPECT_EQ(p.optimizer, OptimizerKind::SGD);
  write_file_atomic(dir.file("bad.json"), "{epochs: 4}");
  try {
    read_train_params(dir.file("bad.json"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json: not valid JSON"), std::string::npos);
  }
}

}  // namespace
}  // namespace pelagos
