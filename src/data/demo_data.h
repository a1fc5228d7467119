// A small synthetic dataset in the original layout (train/validate/test folders
// + {split}_metadata.xlsx), for demos, tests and quick end-to-end runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pelagos {

struct DemoDataOptions {
  std::string out_dir;
  uint64_t seed = 1;
  bool force = false;  // write into a non-empty out_dir (files of ours are replaced, others kept)
  // Clips per species and split (1..kMaxClipsPerSpecies); 6 species x (10 + 4 + 4)
  // keeps a full tune + train cheap.
  int train_per_species = 10;
  int validate_per_species = 4;
  int test_per_species = 4;
  double min_seconds = 0.5;  // clip duration range, within kMinSeconds..kMaxSeconds
  double max_seconds = 4.0;

  static constexpr int kMaxClipsPerSpecies = 1000;
  static constexpr double kMinSeconds = 0.1;
  static constexpr double kMaxSeconds = 60;
};

struct DemoDataSummary {
  std::string out_dir;
  std::vector<std::string> species;  // sorted
  int clips[3] = {0, 0, 0};          // train, validate, test
  uint64_t bytes = 0;                // audio bytes written
};

// Deterministic for a seed. Throws pelagos::Error when out_dir is not empty
// (and force is off) or cannot be written, or an option is out of range.
DemoDataSummary write_demo_data(const DemoDataOptions& options);

}  // namespace pelagos
