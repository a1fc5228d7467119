#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "pelagos/error.h"
#include "util/paths.h"

namespace pelagos::cli {

std::string GlobalOptions::resolved_cache_dir() const {
  return cache_dir.empty() ? default_cache_dir() : cache_dir;
}

CLI::App* add_pending_command(CLI::App& app, const std::string& name, const std::string& description,
                              int issue) {
  CLI::App* cmd = app.add_subcommand(name, fmt::format("{} [not available yet: issue #{}]", description, issue));
  cmd->allow_extras();
  cmd->callback([name, issue] {
    throw NotImplemented(fmt::format("`pelagos {}` (planned in issue #{})", name, issue));
  });
  return cmd;
}

int run_cli(int argc, const char* const* argv) {
  CLI::App app{"pelagos: tuned marine-mammal species classifiers from labelled recordings\n"
               "(VGGish transfer learning on LibTorch + Optuna-compatible hyperparameter search)"};
  app.set_version_flag("--version", std::string("pelagos ") + PELAGOS_VERSION);
  app.require_subcommand(1);
  GlobalOptions global;
  global.args.assign(argv + 1, argv + argc);
  app.add_option("--cache-dir", global.cache_dir,
                 "Feature and activation cache folder (default: $XDG_CACHE_HOME/pelagos or ~/.cache/pelagos)");
  app.add_option("--threads", global.threads, "Threads for tensor work (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", global.verbose, "More detail on stderr");

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
  add_demo_command(app, global);

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
