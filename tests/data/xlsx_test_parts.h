// Hand-built .xlsx packages for reader tests: a valid skeleton whose parts a
// test replaces or drops to make one specific defect.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace pelagos::test {

struct XlsxParts {
  std::map<std::string, std::string> parts;  // part name -> bytes; an empty value drops the part

  // A workbook whose first sheet is `sheet_xml` (the <sheetData> contents) and, when
  // given, a shared-string table of `sst_items` (the <si> elements).
  static XlsxParts with_sheet(const std::string& sheet_data, const std::string& sst_items = "");
  void write(const std::string& path) const;
  // The package's bytes with `part`'s uncompressed size in its central-directory
  // record replaced by `size` (a zip bomb's lie, or a damaged directory).
  std::string bytes_declaring(const std::string& part, uint32_t size) const;
};

}  // namespace pelagos::test
