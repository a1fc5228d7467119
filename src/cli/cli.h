// The pelagos command line: a thin CLI11 layer over the library. Each command
// lives in its own cmd_<name>.cpp and registers itself through add_<name>_command.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pelagos::cli {

// Flags shared by every command.
struct GlobalOptions {
  std::string cache_dir;       // empty: default_cache_dir()
  int threads = 0;             // 0: all cores
  std::string device = "auto";
  std::string precision = "float32";
  bool quiet = false;
  bool verbose = false;
  std::string log_format = "text";
  int exit_code = 0;           // a command may set a non-zero status without throwing
  std::vector<std::string> args;  // the command line without the program name
  std::string resolved_cache_dir() const;
};

// Runs the CLI in-process (main() and the tests call this). Returns the exit code.
int run_cli(int argc, const char* const* argv);
int run_cli(const std::vector<std::string>& args);  // args without the program name

// Calls a command implemented in pelagos_torch (loaded on first use, so commands
// that need no tensors never pay LibTorch's start-up). `options` points to the
// command's options struct; the symbol is "pelagos_torch_<command>".
int call_torch_command(const std::string& command, const void* options);

void add_demo_data_command(CLI::App& app, GlobalOptions& global);
void add_inspect_command(CLI::App& app, GlobalOptions& global);
void add_features_command(CLI::App& app, GlobalOptions& global);
void add_cache_command(CLI::App& app, GlobalOptions& global);
void add_weights_command(CLI::App& app, GlobalOptions& global);
void add_train_command(CLI::App& app, GlobalOptions& global);
void add_evaluate_command(CLI::App& app, GlobalOptions& global);
void add_predict_command(CLI::App& app, GlobalOptions& global);
void add_embed_command(CLI::App& app, GlobalOptions& global);
void add_tune_command(CLI::App& app, GlobalOptions& global);
void add_study_command(CLI::App& app, GlobalOptions& global);
void add_report_command(CLI::App& app, GlobalOptions& global);
void add_demo_command(CLI::App& app, GlobalOptions& global);
void add_completion_command(CLI::App& app, GlobalOptions& global);

// The bash completion script for `app`'s commands and flags (`pelagos completion bash`).
std::string bash_completion(const CLI::App& app);

// SIGINT/SIGTERM end the process with kExitInterrupted (main() installs this;
// outputs are written atomically, so none is left half-written).
void install_interrupt_handlers();

}  // namespace pelagos::cli
