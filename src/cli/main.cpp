#include "cli/cli.h"

int main(int argc, char** argv) {
  pelagos::cli::install_interrupt_handlers();
  return pelagos::cli::run_cli(argc, argv);
}
