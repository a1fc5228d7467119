#include "data/xlsx_writer.h"

#include <cctype>
#include <fmt/format.h>
#include <map>

#include "data/table.h"
#include "data/zip_writer.h"
#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

constexpr const char* kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kPkgRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
          throw Error(fmt::format("cannot write \"{}\" to a workbook: it holds control character 0x{:02X}, "
                                  "which XML forbids.", s, c));
        out += ch;
    }
  }
  return out;
}

// <t> text; leading/trailing spaces survive only with xml:space="preserve".
std::string text_element(const std::string& s) {
  bool pad = !s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) ||
                            std::isspace(static_cast<unsigned char>(s.back())));
  return fmt::format("<t{}>{}</t>", pad ? " xml:space=\"preserve\"" : "", xml_escape(s));
}

void check_sheet_name(const std::string& name) {
  if (name.empty() || name.size() > 31 || name.find_first_of("[]:*?/\\") != std::string::npos)
    throw Error(fmt::format("invalid worksheet name \"{}\": use 1-31 characters without []:*?/\\.", name));
}

}  // namespace

std::string xlsx_bytes(const std::vector<std::vector<std::string>>& rows, const XlsxWriteOptions& options) {
  check_sheet_name(options.sheet_name);
  std::vector<std::string> strings;  // shared-string table in first-use order
  std::map<std::string, size_t> string_index;
  size_t string_uses = 0;

  std::string sheet = fmt::format("{}<worksheet xmlns=\"{}\"><sheetData>", kXmlDecl, kMainNs);
  for (size_t r = 0; r < rows.size(); ++r) {
    sheet += fmt::format("<row r=\"{}\">", r + 1);
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& value = rows[r][c];
      if (value.empty()) continue;  // missing cells read back as empty
      std::string ref = spreadsheet_column_letters(c) + std::to_string(r + 1);
      if (options.shared_strings) {
        auto [it, added] = string_index.emplace(value, strings.size());
        if (added) strings.push_back(value);
        ++string_uses;
        sheet += fmt::format("<c r=\"{}\" t=\"s\"><v>{}</v></c>", ref, it->second);
      } else {
        sheet += fmt::format("<c r=\"{}\" t=\"inlineStr\"><is>{}</is></c>", ref, text_element(value));
      }
    }
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";

  std::string content_types = fmt::format(
      "{}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
      "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
      "<Override PartName=\"/xl/styles.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{}"
      "</Types>",
      kXmlDecl,
      options.shared_strings
          ? "<Override PartName=\"/xl/sharedStrings.xml\" "
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
          : "");
  std::string root_rels = fmt::format(
      "{}<Relationships xmlns=\"{}\"><Relationship Id=\"rId1\" Type=\"{}/officeDocument\" "
      "Target=\"xl/workbook.xml\"/></Relationships>",
      kXmlDecl, kPkgRelNs, kRelNs);
  std::string workbook = fmt::format(
      "{}<workbook xmlns=\"{}\" xmlns:r=\"{}\"><sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/>"
      "</sheets></workbook>",
      kXmlDecl, kMainNs, kRelNs, xml_escape(options.sheet_name));
  std::string workbook_rels = fmt::format(
      "{}<Relationships xmlns=\"{}\">"
      "<Relationship Id=\"rId1\" Type=\"{}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"{}/styles\" Target=\"styles.xml\"/>{}</Relationships>",
      kXmlDecl, kPkgRelNs, kRelNs, kRelNs,
      options.shared_strings
          ? fmt::format("<Relationship Id=\"rId3\" Type=\"{}/sharedStrings\" Target=\"sharedStrings.xml\"/>", kRelNs)
          : "");
  // Excel insists on a style sheet with one default font, the two reserved fills,
  // one border and one cell format.
  std::string styles = fmt::format(
      "{}<styleSheet xmlns=\"{}\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
      "</fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill "
      "patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/>"
      "<diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
      "borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
      "borderId=\"0\" xfId=\"0\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" "
      "builtinId=\"0\"/></cellStyles></styleSheet>",
      kXmlDecl, kMainNs);

  std::vector<ZipEntry> parts = {{"[Content_Types].xml", content_types},
                                 {"_rels/.rels", root_rels},
                                 {"xl/workbook.xml", workbook},
                                 {"xl/_rels/workbook.xml.rels", workbook_rels},
                                 {"xl/styles.xml", styles},
                                 {"xl/worksheets/sheet1.xml", sheet}};
  if (options.shared_strings) {
    std::string sst = fmt::format("{}<sst xmlns=\"{}\" count=\"{}\" uniqueCount=\"{}\">", kXmlDecl, kMainNs,
                                  string_uses, strings.size());
    for (const auto& s : strings) sst += "<si>" + text_element(s) + "</si>";
    sst += "</sst>";
    parts.push_back({"xl/sharedStrings.xml", sst});
  }
  return zip_bytes(parts);
}

void write_xlsx(const std::string& path, const std::vector<std::vector<std::string>>& rows,
                const XlsxWriteOptions& options) {
  write_file_atomic(path, xlsx_bytes(rows, options));
}

}  // namespace pelagos
