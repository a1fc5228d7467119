#include "data/xlsx_reader.h"

#include <pugixml.hpp>

#include <cctype>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "data/zip_reader.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr size_t kMaxColumns = 16384;    // XFD, Excel's limit
constexpr int kMaxRows = 1048576;        // Excel's limit
constexpr size_t kMaxCells = 20000000;   // dense storage cap: far above any metadata sheet

// Element and attribute names without their namespace prefix: producers differ
// in which prefix (if any) they bind the SpreadsheetML namespaces to.
const char* local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

bool is_named(const pugi::xml_node& node, const char* local) {
  return node.type() == pugi::node_element && std::strcmp(local_name(node.name()), local) == 0;
}

pugi::xml_node child(const pugi::xml_node& parent, const char* local) {
  for (pugi::xml_node c : parent.children())
    if (is_named(c, local)) return c;
  return {};
}

// All character data directly inside `node`.
std::string node_text(const pugi::xml_node& node) {
  std::string text;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  return text;
}

// A string item (<si> or <is>): plain <t>, or rich-text runs <r><t>; phonetic hints (<rPh>) skipped.
std::string string_item_text(const pugi::xml_node& item) {
  std::string text;
  for (pugi::xml_node c : item.children()) {
    if (is_named(c, "t")) {
      text += node_text(c);
    } else if (is_named(c, "r")) {
      for (pugi::xml_node t : c.children())
        if (is_named(t, "t")) text += node_text(t);
    }
  }
  return text;
}

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

class WorkbookReader {
 public:
  explicit WorkbookReader(const std::string& path) : zip_(path), path_(path) {}

  Table read() {
    std::string workbook_part = find_workbook_part();
    pugi::xml_document wb;
    parse(workbook_part, wb);
    pugi::xml_node root = wb.document_element();
    pugi::xml_node sheet = child(child(root, "sheets"), "sheet");
    if (!is_named(root, "workbook") || !sheet)
      throw Error(fmt::format("{}: part '{}' lists no worksheets. Save the metadata as a normal "
                              "workbook with the table on its first sheet.", path_, workbook_part));
    Table table;
    table.path = path_;
    table.spreadsheet = true;
    table.sheet = sheet.attribute("name").value();
    std::string rid;
    for (pugi::xml_attribute a : sheet.attributes()) {
      // r:id -- the relationships-namespace "id"; the unprefixed sheetId is something else.
      if (std::strcmp(local_name(a.name()), "id") == 0 && std::strchr(a.name(), ':')) rid = a.value();
    }
    if (rid.empty())
      throw Error(fmt::format("{}: sheet '{}' in '{}' has no relationship id (r:id); the workbook is "
                              "damaged. Re-save it.", path_, table.sheet, workbook_part));

    std::string dir = workbook_part.substr(0, workbook_part.rfind('/') + 1);
    std::string rels_part = dir + "_rels/" + workbook_part.substr(dir.size()) + ".rels";
    std::vector<Relationship> rels = read_relationships(rels_part, dir);
    std::string sheet_part;
    std::vector<std::string> shared;
    for (const Relationship& r : rels) {
      if (r.id == rid) {
        if (!ends_with(r.type, "/worksheet"))
          throw Error(fmt::format("{}: the first sheet '{}' is not a worksheet (relationship type '{}'). "
                                  "Move the metadata table to the first sheet.", path_, table.sheet, r.type));
        sheet_part = r.target;
      }
      if (ends_with(r.type, "/sharedStrings")) shared = read_shared_strings(r.target);
    }
    if (sheet_part.empty())
      throw Error(fmt::format("{}: relationship '{}' of sheet '{}' is missing from '{}'; the workbook is "
                              "damaged. Re-save it.", path_, rid, table.sheet, rels_part));
    read_cells(sheet_part, shared, table);
    return table;
  }

 private:
  struct Relationship {
    std::string id, type, target;
  };

  void parse(const std::string& part, pugi::xml_document& doc) {
    std::string xml = zip_.read(part);
    // parse_doctype keeps a DOCTYPE as a node so it can be refused below; pugixml
    // never expands DTD entities, but a metadata sheet has no business declaring any.
    pugi::xml_parse_result res = doc.load_buffer(xml.data(), xml.size(),
                                                 pugi::parse_default | pugi::parse_doctype | pugi::parse_ws_pcdata,
                                                 pugi::encoding_utf8);
    if (!res)
      throw Error(fmt::format("{}: part '{}' is not well-formed XML ({} at byte {}). The workbook is "
                              "damaged; re-save it from a spreadsheet program.",
                              path_, part, res.description(), res.offset));
    for (pugi::xml_node n : doc.children())
      if (n.type() == pugi::node_doctype)
        throw Error(fmt::format("{}: part '{}' declares a DTD (<!DOCTYPE ...>). Spreadsheets never need "
                                "one and it can hide entity-expansion or external-entity attacks, so "
                                "pelagos refuses the file. Re-save it from a spreadsheet program.",
                                path_, part));
    if (!doc.document_element())
      throw Error(fmt::format("{}: part '{}' has no XML content. Re-save the workbook.", path_, part));
  }

  // Resolves a relationship target against the folder of the part that owns it.
  std::string resolve(const std::string& base_dir, const std::string& target) {
    std::string joined = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= joined.size()) {
      size_t slash = joined.find('/', start);
      if (slash == std::string::npos) slash = joined.size();
      std::string seg = joined.substr(start, slash - start);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      start = slash + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
  }

  std::vector<Relationship> read_relationships(const std::string& rels_part, const std::string& base_dir) {
    pugi::xml_document doc;
    parse(rels_part, doc);
    std::vector<Relationship> rels;
    for (pugi::xml_node r : doc.document_element().children()) {
      if (!is_named(r, "Relationship")) continue;
      if (std::strcmp(r.attribute("TargetMode").value(), "External") == 0) continue;
      rels.push_back({r.attribute("Id").value(), r.attribute("Type").value(),
                      resolve(base_dir, r.attribute("Target").value())});
    }
    return rels;
  }

  std::string find_workbook_part() {
    if (zip_.has("_rels/.rels")) {
      for (const Relationship& r : read_relationships("_rels/.rels", ""))
        if (ends_with(r.type, "/officeDocument")) return r.target;
    }
    if (zip_.has("xl/workbook.xml")) return "xl/workbook.xml";
    throw Error(fmt::format("{}: no workbook inside (neither _rels/.rels nor xl/workbook.xml names one). "
                            "It is a zip file but not an .xlsx spreadsheet.", path_));
  }

  std::vector<std::string> read_shared_strings(const std::string& part) {
    std::vector<std::string> strings;
    if (!zip_.has(part)) return strings;  // a workbook without strings may still reference the part
    pugi::xml_document doc;
    parse(part, doc);
    for (pugi::xml_node si : doc.document_element().children())
      if (is_named(si, "si")) strings.push_back(string_item_text(si));
    return strings;
  }

  // "C12" -> column 2, row 12; false when malformed or beyond Excel's grid.
  static bool parse_ref(const char* ref, size_t& col, int& row) {
    size_t c = 0, letters = 0;
    const char* p = ref;
    for (; *p && std::isalpha(static_cast<unsigned char>(*p)); ++p, ++letters)
      c = c * 26 + static_cast<size_t>(std::toupper(static_cast<unsigned char>(*p)) - 'A' + 1);
    if (letters == 0 || letters > 3 || c > kMaxColumns) return false;
    long r = 0;
    size_t digits = 0;
    for (; *p && std::isdigit(static_cast<unsigned char>(*p)); ++p, ++digits) {
      r = r * 10 + (*p - '0');
      if (r > kMaxRows) return false;
    }
    if (*p || digits == 0 || r < 1) return false;
    col = c - 1;
    row = static_cast<int>(r);
    return true;
  }

  std::string cell_value(const pugi::xml_node& c, const std::vector<std::string>& shared,
                         const std::string& part, const std::string& ref) {
    std::string type = c.attribute("t").value();
    if (type == "inlineStr") {
      pugi::xml_node is = child(c, "is");
      return is ? string_item_text(is) : node_text(child(c, "v"));
    }
    pugi::xml_node v = child(c, "v");
    std::string value = v ? node_text(v) : std::string();
    if (child(c, "f") && value.empty() && type != "str")
      throw Error(fmt::format("{}: cell {} ({}) holds a formula with no stored result. Open the file in "
                              "a spreadsheet program and save it so results are stored, or replace the "
                              "formula by its value.", path_, ref, part));
    if (type == "s") {
      char* end = nullptr;
      unsigned long idx = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end || idx >= shared.size())
        throw Error(fmt::format("{}: cell {} ({}) refers to shared string '{}', but the table has {} "
                                "entries. The workbook is damaged; re-save it.",
                                path_, ref, part, value, shared.size()));
      return shared[idx];
    }
    if (type == "b") return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
    return value;  // numbers and dates as written, t="str" formula text, t="e" error literals
  }

  void read_cells(const std::string& part, const std::vector<std::string>& shared, Table& table) {
    pugi::xml_document doc;
    parse(part, doc);
    pugi::xml_node data = child(doc.document_element(), "sheetData");
    if (!is_named(doc.document_element(), "worksheet") || !data)
      throw Error(fmt::format("{}: part '{}' is not a worksheet (no <sheetData>). Re-save the workbook.",
                              path_, part));
    int next_row = 1;
    size_t cells_held = 0;
    for (pugi::xml_node row : data.children()) {
      if (!is_named(row, "row")) continue;
      TableRow out;
      out.number = row.attribute("r") ? row.attribute("r").as_int() : next_row;
      if (out.number < next_row || out.number > kMaxRows)
        throw Error(fmt::format("{}: row number '{}' in '{}' is out of order or outside 1-{}; the "
                                "workbook is damaged. Re-save it.", path_, row.attribute("r").value(),
                                part, kMaxRows));
      next_row = out.number + 1;
      size_t next_col = 0;
      for (pugi::xml_node c : row.children()) {
        if (!is_named(c, "c")) continue;
        size_t col = next_col;
        std::string ref;
        if (c.attribute("r")) {
          ref = c.attribute("r").value();
          int ref_row = 0;
          if (!parse_ref(ref.c_str(), col, ref_row) || ref_row != out.number)
            throw Error(fmt::format("{}: cell reference '{}' in row {} of '{}' is malformed; the workbook "
                                    "is damaged. Re-save it.", path_, ref, out.number, part));
        } else {
          if (col >= kMaxColumns)
            throw Error(fmt::format("{}: row {} of '{}' has more than {} cells.", path_, out.number, part,
                                    kMaxColumns));
          ref = spreadsheet_column_letters(col) + std::to_string(out.number);
        }
        next_col = col + 1;
        std::string value = cell_value(c, shared, part, ref);
        if (value.empty()) continue;
        if (out.cells.size() <= col) {
          cells_held += col + 1 - out.cells.size();
          if (cells_held > kMaxCells)
            throw Error(fmt::format("{}: worksheet '{}' is too large for a metadata table (over {} cells).",
                                    path_, part, kMaxCells));
          out.cells.resize(col + 1);
        }
        out.cells[col] = std::move(value);
      }
      if (!out.cells.empty()) table.rows.push_back(std::move(out));
    }
  }

  ZipReader zip_;
  std::string path_;
};

}  // namespace

Table read_xlsx(const std::string& path) { return WorkbookReader(path).read(); }

}  // namespace pelagos
