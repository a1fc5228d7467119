// Minimal valid .xlsx workbooks (one worksheet of text cells), as the original
// system's metadata files: readable by Excel, LibreOffice, openpyxl and pandas.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

struct XlsxWriteOptions {
  std::string sheet_name = "Sheet1";  // 1-31 characters, none of []:*?/\ (Excel's rules)
  bool shared_strings = true;         // strings in xl/sharedStrings.xml (as Excel); false: inline strings
};

// The workbook's bytes; rows[0] is usually the header. Throws pelagos::Error for
// an invalid sheet name or text XML cannot hold (control characters).
std::string xlsx_bytes(const std::vector<std::vector<std::string>>& rows, const XlsxWriteOptions& options = {});

// Writes the workbook atomically.
void write_xlsx(const std::string& path, const std::vector<std::vector<std::string>>& rows,
                const XlsxWriteOptions& options = {});

}  // namespace pelagos
