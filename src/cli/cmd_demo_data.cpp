// pelagos demo-data OUT [--seed S] [--force]
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "data/demo_data.h"

namespace pelagos::cli {

void add_demo_data_command(CLI::App& app, GlobalOptions&) {
  auto opt = std::make_shared<DemoDataOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo-data", "Write a small synthetic dataset in the original layout (6 species, train/validate/test "
                   "folders + xlsx metadata)");
  cmd->footer("Examples:\n  pelagos demo-data demo\n  pelagos demo-data demo --seed 2 --train-per-species 40 --force");
  cmd->add_option("out", opt->out_dir, "Output folder (created; must be empty unless --force)")->required();
  cmd->add_option("--seed", opt->seed, "Random seed; the same seed gives the same files")->capture_default_str();
  cmd->add_flag("--force", opt->force, "Write into a non-empty folder, replacing files of the same names");
  cmd->add_option("--train-per-species", opt->train_per_species, "Train clips per species")
      ->capture_default_str();
  cmd->add_option("--validate-per-species", opt->validate_per_species, "Validate clips per species")
      ->capture_default_str();
  cmd->add_option("--test-per-species", opt->test_per_species, "Test clips per species")
      ->capture_default_str();
  cmd->callback([opt] {
    DemoDataSummary s = write_demo_data(*opt);
    std::cout << fmt::format("demo dataset written to {}\n  {} species: {}\n  clips: {} train, {} validate, "
                             "{} test ({:.1f} MB of audio)\n  next: pelagos inspect --data {}\n",
                             s.out_dir, s.species.size(), fmt::join(s.species, ", "), s.clips[0], s.clips[1],
                             s.clips[2], double(s.bytes) / 1e6, s.out_dir);
  });
}

}  // namespace pelagos::cli
