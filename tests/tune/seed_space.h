// The project's 8-parameter search space (the original's hyperparameters),
// shared by the sampler tests and the benchmark.
#pragma once
#include "pelagos/tune/distribution.h"

namespace pelagos::tune::test {

inline SearchSpace seed_space() {
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

}  // namespace pelagos::tune::test
