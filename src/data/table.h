// A metadata table as read from an .xlsx worksheet or a CSV file: rows of text
// cells with the row numbers the user sees in a spreadsheet program or editor.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

struct TableRow {
  int number = 0;                  // 1-based row (xlsx) or line where the record starts (CSV)
  std::vector<std::string> cells;  // missing cells are empty strings
};

struct Table {
  std::string path;
  std::string sheet;         // worksheet name for xlsx; empty for CSV
  bool spreadsheet = false;  // columns are called A, B, C... (xlsx) rather than 1, 2, 3... (CSV)
  std::vector<TableRow> rows;

  std::string row_label(const TableRow& row) const;  // "row 5" / "line 5"
  std::string column_label(size_t index) const;      // "column C" / "column 3"
};

// 0 -> "A", 25 -> "Z", 26 -> "AA".
std::string spreadsheet_column_letters(size_t index);

// True for the literals a spreadsheet stores in a cell whose formula failed (#N/A, #REF!, ...).
bool is_spreadsheet_error_value(const std::string& text);

// Picks the reader by extension: .xlsx or .csv (case-insensitive). Throws pelagos::Error otherwise.
Table read_table(const std::string& path);

}  // namespace pelagos
