// Commands whose issues have not landed yet. Each moves to its own cmd_<name>.cpp
// when it is implemented.
#include "cli/cli.h"

namespace pelagos::cli {

void add_report_command(CLI::App& app, GlobalOptions&) {
  add_pending_command(app, "report", "Write an HTML report of a study and a model", 9);
}
void add_demo_command(CLI::App& app, GlobalOptions&) {
  add_pending_command(app, "demo", "Run the whole job on a synthetic dataset", 9);
}

}  // namespace pelagos::cli
