// The flags every dataset-reading command shares: --data and the metadata options.
#pragma once
#include <CLI/CLI.hpp>

#include "pelagos/dataset.h"

namespace pelagos::cli {

// Adds --data ROOT (required), --metadata-pattern, --file-column, --species-column,
// --splits and --drop-unknown-species, writing into `options`.
void add_dataset_flags(CLI::App& cmd, DatasetOptions& options);

}  // namespace pelagos::cli
