// Ctrl-C / SIGTERM: exit at once with kExitInterrupted. Outputs are written
// atomically (a temporary file renamed at the end), so an interrupted run
// leaves the previous files intact; a tune trial left RUNNING is marked FAIL by
// its stale heartbeat when the study resumes.
#include <csignal>
#include <unistd.h>

#include "cli/cli.h"
#include "pelagos/error.h"

namespace pelagos::cli {
namespace {

extern "C" void on_interrupt(int) {
  constexpr char kMessage[] = "\ninterrupted (exit 3)\n";
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(kExitInterrupted);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace pelagos::cli
