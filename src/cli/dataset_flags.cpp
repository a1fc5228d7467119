#include "cli/dataset_flags.h"

namespace pelagos::cli {

void add_dataset_flags(CLI::App& cmd, DatasetOptions& o) {
  cmd.add_option("--data", o.root, "Dataset folder holding train/, validate/, test/ and their metadata")
      ->required();
  cmd.add_option("--metadata-pattern", o.metadata_pattern,
                 "Metadata file per split, relative to --data; {split} is replaced. .xlsx or .csv")
      ->capture_default_str();
  cmd.add_option("--file-column", o.file_column,
                 "Column of audio file names: header name or 0-based index (default: the column headed "
                 "file_name, else 0)");
  cmd.add_option("--species-column", o.species_column,
                 "Column of species names: header name or 0-based index (default: the column headed "
                 "species_name, else 2)");
  cmd.add_option("--splits", o.splits, "Splits to read (folder names)")->delimiter(',')->capture_default_str();
  cmd.add_flag("--drop-unknown-species", o.drop_unknown_species,
               "Skip validate/test rows whose species is not in train (with a warning) instead of failing");
}

}  // namespace pelagos::cli
