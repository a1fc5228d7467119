// pelagos inspect --data ROOT [--json FILE] [metadata flags]
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "cli/dataset_flags.h"
#include "data/dataset_inspect.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos::cli {

namespace {
struct InspectCommand {
  DatasetOptions dataset;
  InspectOptions inspect;
  std::string json_path;
};
}  // namespace

void add_inspect_command(CLI::App& app, GlobalOptions& global) {
  auto opt = std::make_shared<InspectCommand>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Summarise a dataset (files, durations, sample rates, formats per species and split) and "
                 "list every problem found");
  cmd->footer("Examples:\n  pelagos inspect --data watkins\n"
              "  pelagos inspect --data recordings --metadata {split}.csv --species-column species --json inspect.json\n"
              "Exit code 1 when a problem makes the dataset unusable.");
  add_dataset_flags(*cmd, opt->dataset);
  cmd->add_option("--json", opt->json_path, "Also write the full report (every file) as JSON");
  cmd->add_option("--silence-peak", opt->inspect.silence_peak, "Peak below which a file counts as silent (0-0.5]")
      ->capture_default_str();
  cmd->add_option("--imbalance-ratio", opt->inspect.imbalance_ratio,
                  "Report a split whose largest class has more than this many times the files of its smallest (> 1)")
      ->capture_default_str();
  cmd->callback([opt, &global] {
    Dataset ds = load_dataset(opt->dataset);
    opt->inspect.threads = global.threads;
    InspectReport report = inspect_dataset(ds, opt->inspect);
    std::cout << format_inspect_report(report);
    if (!opt->json_path.empty()) write_file_atomic(opt->json_path, inspect_report_json(report).dump(2) + "\n");
    if (!report.usable()) global.exit_code = kExitUserError;
  });
}

}  // namespace pelagos::cli
