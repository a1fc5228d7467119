#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "pelagos/error.h"
#include "util/build_info.h"
#include "util/paths.h"
#include "util/progress.h"

namespace pelagos::cli {

std::string GlobalOptions::resolved_cache_dir() const {
  return cache_dir.empty() ? default_cache_dir() : cache_dir;
}

namespace {

// pelagos' own build facts, then LibTorch's, asked of pelagos_torch only now.
std::string version_text() {
  std::string text = core_build_info();
  std::string torch;
  try {
    TorchBuildInfoRequest request{&torch};
    call_torch_command("torch_build_info", &request);
  } catch (const std::exception& e) {
    torch = fmt::format("LibTorch part not loadable: {}", e.what());
  }
  return text + "\n" + torch;
}

constexpr const char* kExitCodes =
    "Exit codes: 0 ok, 1 user error (the message says what to fix), 2 internal error (a bug: please report it),\n"
    "3 interrupted (Ctrl-C / SIGTERM; `pelagos tune` resumes the study when run again).";

}  // namespace

int run_cli(int argc, const char* const* argv) {
  CLI::App app{"pelagos: tuned marine-mammal species classifiers from labelled recordings\n"
               "(VGGish transfer learning on LibTorch + Optuna-compatible hyperparameter search)"};
  app.set_version_flag("--version", version_text, "Print the version and build information (LibTorch, CUDA, BLAS)");
  app.require_subcommand(1);
  app.footer(fmt::format("Start here:\n"
                         "  pelagos demo                     # the whole job on a synthetic dataset, with a report\n"
                         "  pelagos tune --data DIR --storage sqlite:///study.db --study-name NAME --trials 20\n"
                         "`pelagos COMMAND --help` shows each command's flags and examples.\n{}",
                         kExitCodes));
  GlobalOptions global;
  global.args.assign(argv + 1, argv + argc);
  app.add_option("--cache-dir", global.cache_dir,
                 "Feature and activation cache folder (default: $XDG_CACHE_HOME/pelagos or ~/.cache/pelagos)");
  app.add_option("--threads", global.threads, "Threads for tensor work (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", global.verbose, "More detail on stderr");
  app.add_option("--log-format", global.log_format,
                 "text, or json (progress and messages on stderr as one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  // Before any command runs: every library part reads these through log_settings().
  app.parse_complete_callback([&global] {
    LogSettings s;
    s.quiet = global.quiet;
    s.verbose = global.verbose && !global.quiet;
    s.format = log_format_from_string(global.log_format);
    set_log_settings(s);
  });

  add_demo_command(app, global);
  add_demo_data_command(app, global);
  add_inspect_command(app, global);
  add_features_command(app, global);
  add_cache_command(app, global);
  add_weights_command(app, global);
  add_train_command(app, global);
  add_evaluate_command(app, global);
  add_predict_command(app, global);
  add_embed_command(app, global);
  add_tune_command(app, global);
  add_study_command(app, global);
  add_report_command(app, global);
  add_completion_command(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUserError;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitUserError;
  } catch (const NotImplemented& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what()
              << "\nThis is a bug in pelagos; please report it with the command that triggered it.\n";
    return kExitInternal;
  }
  return global.exit_code;
}

int run_cli(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"pelagos"};
  for (const auto& a : args) argv.push_back(a.c_str());
  return run_cli(static_cast<int>(argv.size()), argv.data());
}

}  // namespace pelagos::cli
