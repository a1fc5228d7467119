// Labelled datasets in the original system's layout: ROOT/{train,validate,test}
// folders with {split}_metadata.xlsx (column 0 file_name, column 2 species_name),
// or CSV metadata with columns chosen by name or index.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

struct Clip {
  std::string split;      // "train", "validate" or "test"
  std::string file_name;  // as written in the metadata
  std::string path;       // resolved audio path inside the split folder
  std::string species;
  int label = -1;         // index into LabelMap::names
  int row = 0;            // 1-based spreadsheet / CSV row, for error messages
};

// Species sorted by name; saved with every model.
struct LabelMap {
  std::vector<std::string> names;
  int index_of(const std::string& species) const;  // -1 when absent
};

struct DatasetOptions {
  std::string root;
  std::vector<std::string> splits = {"train", "validate", "test"};
  // Metadata file per split; "{split}" is replaced. Ending .xlsx or .csv picks the reader.
  std::string metadata_pattern = "{split}_metadata.xlsx";
  // Column by header name or 0-based index. Empty: the column headed file_name /
  // species_name when the header has one, else column 0 / 2 (the original layout).
  std::string file_column;
  std::string species_column;
  bool drop_unknown_species = false;   // species absent from train: error unless set (then warn + drop)
};

struct SplitData {
  std::string name;
  std::string metadata_path;
  std::vector<Clip> clips;
};

struct Dataset {
  std::string root;
  LabelMap labels;
  std::vector<SplitData> splits;
  std::vector<std::string> warnings;
  const SplitData* split(const std::string& name) const;  // nullptr when absent
};

// Reads and validates the metadata: every row names an existing audio file inside
// its split folder, once across all splits, with a species seen in train. Labels
// are the train species sorted by name (all splits' species when "train" is not
// loaded). Throws pelagos::Error listing every problem found (file, row, column).
Dataset load_dataset(const DatasetOptions& options);

// The metadata path of `split` under options.root.
std::string metadata_path(const DatasetOptions& options, const std::string& split);

}  // namespace pelagos
