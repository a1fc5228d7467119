#include "data/xlsx_test_parts.h"

#include <cstring>
#include <stdexcept>
#include <vector>

#include "data/zip_writer.h"
#include "util/atomic_file.h"

namespace pelagos::test {

XlsxParts XlsxParts::with_sheet(const std::string& sheet_data, const std::string& sst_items) {
  const std::string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
  XlsxParts x;
  x.parts["[Content_Types].xml"] =
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  x.parts["_rels/.rels"] = "<Relationships xmlns=\"" + pkg + "\"><Relationship Id=\"rId1\" Type=\"" + rel +
                           "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  x.parts["xl/workbook.xml"] = "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + rel +
                               "\"><sheets><sheet name=\"meta\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
  std::string rels = "<Relationships xmlns=\"" + pkg + "\"><Relationship Id=\"rId7\" Type=\"" + rel +
                     "/worksheet\" Target=\"worksheets/sheet1.xml\"/>";
  if (!sst_items.empty()) {
    rels += "<Relationship Id=\"rId8\" Type=\"" + rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    x.parts["xl/sharedStrings.xml"] = "<sst xmlns=\"" + main + "\">" + sst_items + "</sst>";
  }
  x.parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>";
  x.parts["xl/worksheets/sheet1.xml"] =
      "<worksheet xmlns=\"" + main + "\"><sheetData>" + sheet_data + "</sheetData></worksheet>";
  return x;
}

namespace {

std::string package_bytes(const std::map<std::string, std::string>& parts) {
  std::vector<ZipEntry> entries;
  for (const auto& [name, data] : parts)
    if (!data.empty()) entries.push_back({name, data});
  return zip_bytes(entries);
}

}  // namespace

void XlsxParts::write(const std::string& path) const { write_file_atomic(path, package_bytes(parts)); }

std::string XlsxParts::bytes_declaring(const std::string& part, uint32_t size) const {
  std::string zip = package_bytes(parts);
  size_t patched = 0;
  for (size_t pos = 0; (pos = zip.find("PK\x01\x02", pos)) != std::string::npos; pos += 4) {
    uint16_t name_len;
    std::memcpy(&name_len, &zip[pos + 28], 2);
    if (zip.compare(pos + 46, name_len, part) != 0) continue;
    std::memcpy(&zip[pos + 24], &size, 4);
    ++patched;
  }
  if (patched != 1) throw std::logic_error("bytes_declaring: no single central-directory record for " + part);
  return zip;
}

}  // namespace pelagos::test
