#include "data/table.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fmt/format.h>

#include "data/csv_reader.h"
#include "data/xlsx_reader.h"
#include "pelagos/error.h"

namespace pelagos {

std::string Table::row_label(const TableRow& row) const {
  return fmt::format("{} {}", spreadsheet ? "row" : "line", row.number);
}

std::string Table::column_label(size_t index) const {
  return spreadsheet ? "column " + spreadsheet_column_letters(index) : fmt::format("column {}", index + 1);
}

std::string spreadsheet_column_letters(size_t index) {
  std::string letters;
  size_t n = index + 1;
  while (n > 0) {
    size_t rem = (n - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return letters;
}

bool is_spreadsheet_error_value(const std::string& text) {
  static const char* const kErrors[] = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?",
                                        "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"};
  return std::any_of(std::begin(kErrors), std::end(kErrors), [&](const char* e) { return text == e; });
}

Table read_table(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".xlsx") return read_xlsx(path);
  if (ext == ".csv") return read_csv(path);
  throw Error(fmt::format("{}: metadata must be an .xlsx workbook or a .csv file (got '{}'). Convert it, "
                          "or point --metadata-pattern at the right files.", path, ext));
}

}  // namespace pelagos
