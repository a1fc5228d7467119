#include "cli/cli.h"

int main(int argc, char** argv) { return pelagos::cli::run_cli(argc, argv); }
