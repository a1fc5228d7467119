// The xlsx writer: round trip through our reader, and through openpyxl (the
// library pandas uses for the original system's read_excel).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "data/xlsx_reader.h"
#include "data/xlsx_writer.h"
#include "pelagos/error.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

const std::vector<std::vector<std::string>> kRows = {
    {"file_name", "source", "species_name"},
    {"a.wav", "", "Whale & <Dolphin> \"quoted\""},
    {"b c.flac", "  padded  ", "Baleine bleue \xC3\xA9t\xC3\xA9"},
    {"a.wav", "dup text", "Whale & <Dolphin> \"quoted\""},
};

TEST(XlsxWriter, RoundTripsThroughOurReader) {
  test::TempDir dir;
  for (bool shared : {true, false}) {
    XlsxWriteOptions opt;
    opt.shared_strings = shared;
    opt.sheet_name = shared ? "train" : "Sheet1";
    write_xlsx(dir.file("m.xlsx"), kRows, opt);
    Table t = read_xlsx(dir.file("m.xlsx"));
    EXPECT_EQ(t.sheet, opt.sheet_name);
    ASSERT_EQ(t.rows.size(), kRows.size());
    for (size_t r = 0; r < kRows.size(); ++r) {
      std::vector<std::string> expected = kRows[r];
      while (expected.size() > t.rows[r].cells.size() && expected.back().empty()) expected.pop_back();
      EXPECT_EQ(t.rows[r].cells, expected) << "row " << r;
    }
  }
}

TEST(XlsxWriter, IsDeterministicAndChecksSheetNames) {
  EXPECT_EQ(xlsx_bytes(kRows), xlsx_bytes(kRows));
  XlsxWriteOptions bad;
  bad.sheet_name = "a/b";
  EXPECT_THROW(xlsx_bytes(kRows, bad), Error);
  EXPECT_THROW(xlsx_bytes({{std::string("bell\x07")}}), Error);
}

TEST(XlsxWriter, OpenpyxlReadsItBack) {
  const char* python = "/usr/bin/python3";
  if (!std::filesystem::exists(python) ||
      std::system("/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "/usr/bin/python3 with openpyxl is not installed (scripts/setup.sh installs it)";
  test::TempDir dir;
  for (bool shared : {true, false}) {
    XlsxWriteOptions opt;
    opt.shared_strings = shared;
    write_xlsx(dir.file("m.xlsx"), kRows, opt);
    std::string cmd = std::string(python) +
                      " -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]\n"
                      "for row in ws.iter_rows(values_only=True): print(\"|\".join(\"\" if v is None else v for v in row))' " +
                      dir.file("m.xlsx") + " > " + dir.file("out.txt");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(dir.file("out.txt"));
    std::string line;
    for (const auto& row : kRows) {
      ASSERT_TRUE(std::getline(in, line));
      EXPECT_EQ(line, row[0] + "|" + row[1] + "|" + row[2]);
    }
  }
}

}  // namespace
}  // namespace pelagos
