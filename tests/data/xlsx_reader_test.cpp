// The xlsx reader on hand-built workbooks: every cell kind, the relationship
// chain to the first sheet, and each defence against broken or hostile files.
#include <gtest/gtest.h>

#include <cstring>

#include "data/xlsx_reader.h"
#include "data/xlsx_test_parts.h"
#include "data/zip_reader.h"
#include "data/zip_writer.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

using test::XlsxParts;

// Runs read_xlsx and returns the error text ("" when it succeeded).
std::string read_error(const std::string& path) {
  try {
    read_xlsx(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(XlsxReader, ReadsEveryCellKind) {
  test::TempDir dir;
  auto x = XlsxParts::with_sheet(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>in line</t></is></c>"
      "<c r=\"B3\"><v>2.5</v></c><c r=\"C3\" t=\"b\"><v>1</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c>"
      "<c r=\"B4\"><f>1+1</f><v>2</v></c><c r=\"D4\" t=\"e\"><v>#N/A</v></c></row>"
      "<row><c t=\"s\"><v>2</v></c><c t=\"inlineStr\"><is><r><t>x</t></r><r><t xml:space=\"preserve\"> y</t></r></is></c></row>",
      "<si><t>file_name</t></si><si><t>species_name</t></si>"
      "<si><r><t>Rich</t></r><r><rPr><b/></rPr><t>Text</t></r><rPh><t>IGNORED</t></rPh></si>");
  x.write(dir.file("a.xlsx"));
  Table t = read_xlsx(dir.file("a.xlsx"));
  EXPECT_EQ(t.sheet, "meta");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0].number, 1);
  EXPECT_EQ(t.rows[0].cells, (std::vector<std::string>{"file_name", "", "species_name"}));
  EXPECT_EQ(t.rows[1].number, 3);
  EXPECT_EQ(t.rows[1].cells, (std::vector<std::string>{"in line", "2.5", "TRUE"}));
  EXPECT_EQ(t.rows[2].cells, (std::vector<std::string>{"ab", "2", "", "#N/A"}));
  EXPECT_EQ(t.rows[3].number, 5);
  EXPECT_EQ(t.rows[3].cells, (std::vector<std::string>{"RichText", "x y"}));
  EXPECT_EQ(t.row_label(t.rows[1]), "row 3");
  EXPECT_EQ(t.column_label(2), "column C");
}

TEST(XlsxReader, FollowsRelationshipsToTheFirstListedSheet) {
  test::TempDir dir;
  auto x = XlsxParts::with_sheet("");
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  // Two sheets; the first listed points (absolutely) at an unusual part name.
  x.parts["xl/workbook.xml"] =
      "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:rel=\"" + rel +
      "\"><x:sheets><x:sheet name=\"first\" sheetId=\"2\" rel:id=\"rIdB\"/><x:sheet name=\"second\" "
      "sheetId=\"1\" rel:id=\"rIdA\"/></x:sheets></x:workbook>";
  x.parts["xl/_rels/workbook.xml.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rIdA\" Type=\"" + rel + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rIdB\" Type=\"" + rel + "/worksheet\" Target=\"/xl/worksheets/../data/list.xml\"/>"
      "</Relationships>";
  x.parts["xl/data/list.xml"] =
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>right sheet</t></is></c></row></sheetData></worksheet>";
  x.write(dir.file("a.xlsx"));
  Table t = read_xlsx(dir.file("a.xlsx"));
  EXPECT_EQ(t.sheet, "first");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (std::vector<std::string>{"", "right sheet"}));
}

TEST(XlsxReader, FormulaWithoutCachedValueNamesTheCell) {
  test::TempDir dir;
  XlsxParts::with_sheet("<row r=\"2\"><c r=\"C2\"><f>A1&amp;B1</f></c></row>").write(dir.file("f.xlsx"));
  std::string err = read_error(dir.file("f.xlsx"));
  EXPECT_NE(err.find("cell C2"), std::string::npos) << err;
  EXPECT_NE(err.find("formula"), std::string::npos) << err;
}

TEST(XlsxReader, RejectsDamagedCellData) {
  test::TempDir dir;
  XlsxParts::with_sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>", "<si><t>only</t></si>")
      .write(dir.file("sst.xlsx"));
  EXPECT_NE(read_error(dir.file("sst.xlsx")).find("cell A1"), std::string::npos);
  XlsxParts::with_sheet("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>").write(dir.file("ref.xlsx"));
  EXPECT_NE(read_error(dir.file("ref.xlsx")).find("'1A'"), std::string::npos);
}

TEST(XlsxReader, NotAZipNamesTheFile) {
  test::TempDir dir;
  write_file_atomic(dir.file("plain.xlsx"), "file_name,species_name\na.wav,x\n");
  std::string err = read_error(dir.file("plain.xlsx"));
  EXPECT_NE(err.find("plain.xlsx"), std::string::npos) << err;
  EXPECT_NE(err.find("not a zip"), std::string::npos) << err;
  EXPECT_NE(read_error(dir.file("absent.xlsx")).find("absent.xlsx"), std::string::npos);
}

TEST(XlsxReader, ZipWithoutWorkbookOrWorksheet) {
  test::TempDir dir;
  write_file_atomic(dir.file("other.xlsx"), zip_bytes({{"readme.txt", "hello"}}));
  EXPECT_NE(read_error(dir.file("other.xlsx")).find("no workbook"), std::string::npos);

  auto x = XlsxParts::with_sheet("");
  x.parts["xl/worksheets/sheet1.xml"] = "";
  x.write(dir.file("nosheet.xlsx"));
  EXPECT_NE(read_error(dir.file("nosheet.xlsx")).find("xl/worksheets/sheet1.xml"), std::string::npos);

  x = XlsxParts::with_sheet("");
  x.parts["xl/workbook.xml"] = "<workbook xmlns=\"x\"><sheets/></workbook>";
  x.write(dir.file("nosheets.xlsx"));
  EXPECT_NE(read_error(dir.file("nosheets.xlsx")).find("no worksheets"), std::string::npos);
}

TEST(XlsxReader, MalformedXmlNamesFileAndPart) {
  test::TempDir dir;
  auto x = XlsxParts::with_sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></row>");
  x.write(dir.file("bad.xlsx"));
  std::string err = read_error(dir.file("bad.xlsx"));
  EXPECT_NE(err.find("bad.xlsx"), std::string::npos) << err;
  EXPECT_NE(err.find("xl/worksheets/sheet1.xml"), std::string::npos) << err;
  EXPECT_NE(err.find("not well-formed"), std::string::npos) << err;
}

TEST(XlsxReader, RefusesDtdEntityTricks) {
  test::TempDir dir;
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>";
  auto x = XlsxParts::with_sheet("", "<si><t>&lol3;</t></si>");
  x.parts["xl/sharedStrings.xml"] = laughs + x.parts["xl/sharedStrings.xml"];
  x.write(dir.file("laughs.xlsx"));
  std::string err = read_error(dir.file("laughs.xlsx"));
  EXPECT_NE(err.find("DTD"), std::string::npos) << err;
  EXPECT_NE(err.find("xl/sharedStrings.xml"), std::string::npos) << err;

  x = XlsxParts::with_sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>");
  x.parts["xl/worksheets/sheet1.xml"] =
      "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + x.parts["xl/worksheets/sheet1.xml"];
  x.write(dir.file("xxe.xlsx"));
  EXPECT_NE(read_error(dir.file("xxe.xlsx")).find("DTD"), std::string::npos);
}

TEST(XlsxReader, RefusesHugeDeclaredSizesBeforeInflating) {
  test::TempDir dir;
  const std::string part = "xl/worksheets/sheet1.xml";
  auto x = XlsxParts::with_sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  write_file_atomic(dir.file("huge.xlsx"), x.bytes_declaring(part, 3u << 30));
  std::string err = read_error(dir.file("huge.xlsx"));
  EXPECT_NE(err.find("declares"), std::string::npos) << err;
  EXPECT_NE(err.find(part), std::string::npos) << err;
}

TEST(XlsxReader, ReadsNoMoreThanTheDeclaredSize) {
  test::TempDir dir;
  const std::string part = "xl/worksheets/sheet1.xml";
  auto x = XlsxParts::with_sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  write_file_atomic(dir.file("short.xlsx"), x.bytes_declaring(part, 20));
  std::string err = read_error(dir.file("short.xlsx"));
  EXPECT_NE(err.find(part), std::string::npos) << err;
  EXPECT_NE(err.find("damaged"), std::string::npos) << err;
}

TEST(XlsxReader, RefusesAbsurdCompressionRatios) {
  test::TempDir dir;
  auto x = XlsxParts::with_sheet(std::string(4u << 20, ' '));  // 4 MiB of spaces deflate ~1000:1
  x.write(dir.file("bomb.xlsx"));
  std::string err = read_error(dir.file("bomb.xlsx"));
  EXPECT_NE(err.find("zip bomb"), std::string::npos) << err;
}

TEST(XlsxReader, ReadsWatkinsSharedAndInlineStrings) {
  PELAGOS_REQUIRE_SHARED();
  const std::string root = test::shared_dir() + "/data/watkins/";
  Table train = read_xlsx(root + "train_metadata.xlsx");
  EXPECT_EQ(train.sheet, "train");
  ASSERT_EQ(train.rows.size(), 289u);
  EXPECT_EQ(train.rows[0].cells, (std::vector<std::string>{"file_name", "source", "species_name"}));
  EXPECT_EQ(train.rows[1].cells[0], "0_WW_1.flac");
  EXPECT_EQ(train.rows[1].cells[2], "Beluga White Whale");
  Table test_split = read_xlsx(root + "test_metadata.xlsx");
  ASSERT_EQ(test_split.rows.size(), 62u);
  EXPECT_EQ(test_split.rows[1].cells[0], "0_WW_2.wav");
  EXPECT_EQ(test_split.rows.back().number, 62);
}

}  // namespace
}  // namespace pelagos
