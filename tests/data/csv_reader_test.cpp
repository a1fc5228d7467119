// RFC 4180 CSV: quoting, embedded line breaks and quotes, BOM, CRLF, and the
// errors for broken quoting.
#include <gtest/gtest.h>

#include "data/csv_reader.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

using Cells = std::vector<std::string>;

TEST(CsvReader, HandlesQuotingLineBreaksBomAndCrlf) {
  Table t = parse_csv(
      "\xEF\xBB\xBF" "file_name,source,species_name\r\n"
      "a.wav,\"x, y\",Whale\r\n"
      "\r\n"
      "\"b \"\"q\"\".wav\",\"two\nlines\",\"Sea \"\"Lion\"\"\"\r\n"
      "c.wav,,\n"
      "d.wav,last,\"\"",
      "m.csv");
  ASSERT_EQ(t.rows.size(), 5u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"file_name", "source", "species_name"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"a.wav", "x, y", "Whale"}));
  EXPECT_EQ(t.rows[2].number, 4);  // the blank line 3 is skipped, numbering is by line
  EXPECT_EQ(t.rows[2].cells, (Cells{"b \"q\".wav", "two\nlines", "Sea \"Lion\""}));
  EXPECT_EQ(t.rows[3].number, 6);
  EXPECT_EQ(t.rows[3].cells, (Cells{"c.wav", "", ""}));
  EXPECT_EQ(t.rows[4].cells, (Cells{"d.wav", "last", ""}));
  EXPECT_EQ(t.row_label(t.rows[3]), "line 6");
  EXPECT_EQ(t.column_label(2), "column 3");
}

TEST(CsvReader, SemicolonOrTabSeparatedExports) {
  Table t = parse_csv("file_name;species_name\n\"a;b.wav\";Whale, Blue\n", "m.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].cells, (Cells{"a;b.wav", "Whale, Blue"}));
  t = parse_csv("file_name\tspecies_name\na.wav\tWhale; Blue\n", "m.csv");
  EXPECT_EQ(t.rows[1].cells, (Cells{"a.wav", "Whale; Blue"}));
  t = parse_csv("\"x;y\",b\n1;2,3\n", "m.csv");  // a comma in the header: RFC 4180 as usual
  EXPECT_EQ(t.rows[1].cells, (Cells{"1;2", "3"}));
}

TEST(CsvReader, LoneCrEndsALine) {
  Table t = parse_csv("a,b\rc,d\r", "m.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].cells, (Cells{"c", "d"}));
  EXPECT_EQ(t.rows[1].number, 2);
}

TEST(CsvReader, UnterminatedQuoteNamesLineAndColumn) {
  try {
    parse_csv("h1,h2\nx,\"never closed\nmore\n", "bad.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("bad.csv: line 2, column 2"), std::string::npos) << msg;
  }
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  try {
    parse_csv("h1,h2\n\"ab\"c,d\n", "bad.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column 1"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, ReadsFromDiskAndNamesMissingFiles) {
  test::TempDir dir;
  write_file_atomic(dir.file("m.csv"), "a,b\n1,2\n");
  EXPECT_EQ(read_csv(dir.file("m.csv")).rows.size(), 2u);
  try {
    read_csv(dir.file("none.csv"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("none.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace pelagos
