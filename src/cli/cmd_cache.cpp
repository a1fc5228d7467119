// `pelagos cache info|clear`: where the feature cache is, how big, and emptying it.
#include <unistd.h>

#include <fmt/format.h>
#include <iostream>

#include "cache/cache_dir.h"
#include "cli/cli.h"
#include "pelagos/error.h"

namespace pelagos::cli {
namespace {

std::string human_bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", double(bytes) / 1024);
  if (bytes < int64_t(1) << 30) return fmt::format("{:.1f} MiB", double(bytes) / (1024 * 1024));
  return fmt::format("{:.2f} GiB", double(bytes) / double(int64_t(1) << 30));
}

void print_usage(const std::string& dir, const CacheUsage& usage) {
  std::cout << fmt::format("location: {}\n", dir);
  if (!usage.exists) {
    std::cout << "entries:  0 (the folder does not exist yet)\n";
    return;
  }
  for (const auto& [kind, k] : usage.kinds)
    std::cout << fmt::format("{}: {} entries, {}\n", kind, k.entries, human_bytes(k.bytes));
  std::cout << fmt::format("entries:  {}\nsize:     {}\n", usage.entries(), human_bytes(usage.bytes()));
  if (!usage.tagged && usage.entries() > 0)
    std::cout << "note:     this folder has no CACHEDIR.TAG, so it is not a pelagos cache; check --cache-dir\n";
}

bool confirm(const std::string& dir, const CacheUsage& usage) {
  if (!isatty(STDIN_FILENO))
    throw Error(fmt::format("`pelagos cache clear` would remove {} entries ({}) from {}; pass --yes to "
                            "confirm when not running interactively.",
                            usage.entries(), human_bytes(usage.bytes()), dir));
  std::cerr << fmt::format("Remove {} entries ({}) from {}? [y/N] ", usage.entries(), human_bytes(usage.bytes()), dir);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

void add_cache_command(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("cache", "Show or clear the feature cache (--cache-dir)");
  cmd->require_subcommand(1);
  cmd->footer("Examples:\n  pelagos cache info\n  pelagos --cache-dir /scratch/pelagos cache clear --yes");

  CLI::App* info = cmd->add_subcommand("info", "Print the cache location, entry count and size");
  info->callback([&global] {
    const std::string dir = global.resolved_cache_dir();
    print_usage(dir, cache_usage(dir));
  });

  auto yes = std::make_shared<bool>(false);
  CLI::App* clear = cmd->add_subcommand("clear", "Remove every cached entry");
  clear->add_flag("-y,--yes", *yes, "Do not ask for confirmation");
  clear->callback([&global, yes] {
    const std::string dir = global.resolved_cache_dir();
    CacheUsage usage = cache_usage(dir);
    if (usage.entries() == 0) {
      if (!global.quiet) std::cerr << fmt::format("cache: {} is already empty\n", dir);
      return;
    }
    if (!usage.tagged) {
      clear_cache(dir);  // refuses with an error naming the folder: it is not a pelagos cache
      return;
    }
    if (!*yes && !confirm(dir, usage)) {
      std::cerr << "cache: nothing removed\n";
      return;
    }
    CacheUsage removed = clear_cache(dir);
    if (!global.quiet)
      std::cerr << fmt::format("cache: removed {} entries ({}) from {}\n", removed.entries(),
                               human_bytes(removed.bytes()), dir);
  });
}

}  // namespace pelagos::cli
