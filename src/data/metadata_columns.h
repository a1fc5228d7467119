// Which metadata columns hold the file and species names: chosen by header
// name, by 0-based index, or by the original layout's defaults (columns 0 and 2).
#pragma once
#include <string>
#include <vector>

#include "data/table.h"

namespace pelagos {

struct ColumnRole {
  const char* flag;          // the CLI flag that overrides it, for messages
  const char* header;        // the header name that selects it
  const char* other_header;  // the other role's header: picking that column is a mistake
  size_t default_index;      // the original layout's position
};
extern const ColumnRole kFileRole;     // file_name, column 0
extern const ColumnRole kSpeciesRole;  // species_name, column 2

struct Column {
  size_t index = 0;
  std::string label;  // e.g. column C ("species_name"), for messages
};

// Resolves `option` (empty: by header name, else the default position; digits: an
// index; otherwise a header name, exact or normalized) against the table's first
// row. Appends a problem and returns false when it cannot; a fallback to the
// default position adds a warning.
bool pick_column(const Table& table, const std::string& option, const ColumnRole& role, Column& out,
                 std::vector<std::string>& problems, std::vector<std::string>& warnings);

std::string trim_text(const std::string& s);          // without ASCII white space at either end
std::string normalize_header(const std::string& s);   // "File Name" / "file-name" -> "file_name"
const std::string& table_cell(const TableRow& row, size_t col);  // "" past the row's end

}  // namespace pelagos
