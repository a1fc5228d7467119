#include "data/csv_reader.h"

#include <filesystem>
#include <fmt/format.h>
#include <system_error>

#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {

Table read_csv(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxCsvBytes)
    throw Error(fmt::format("{}: {} bytes is too large for a metadata table (limit {} MiB).", path, size,
                            kMaxCsvBytes >> 20));
  return parse_csv(read_file(path), path);
}

namespace {

// Spreadsheet programs in many locales export ';'-separated "CSV", and some tabs:
// the header line decides. A comma anywhere outside quotes keeps RFC 4180's comma.
char detect_delimiter(std::string_view text) {
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (commas == 0 && semicolons > 0) return ';';
  if (commas == 0 && tabs > 0) return '\t';
  return ',';
}

}  // namespace

Table parse_csv(std::string_view text, const std::string& path) {
  Table table;
  table.path = path;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const char sep = detect_delimiter(text);

  int line = 1;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    TableRow row;
    row.number = line;
    // One record: fields until an unquoted line end or the end of the text.
    for (;;) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int quote_line = line;
        ++i;
        for (;;) {
          if (i >= n)
            throw Error(fmt::format("{}: line {}, column {}: a quoted field is never closed (missing "
                                    "\"). Close the quote or remove it.", path, quote_line,
                                    row.cells.size() + 1));
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field += c;
          }
        }
        if (i < n && text[i] != sep && text[i] != '\n' && text[i] != '\r')
          throw Error(fmt::format("{}: line {}, column {}: text after a closing quote. Inside quotes "
                                  "write a quote as \"\"; or quote the whole field.", path, line,
                                  row.cells.size() + 1));
      } else {
        while (i < n && text[i] != sep && text[i] != '\n' && text[i] != '\r') field += text[i++];
      }
      row.cells.push_back(std::move(field));
      if (i < n && text[i] == sep) {
        ++i;
        continue;
      }
      break;
    }
    // Line end: LF, CRLF or a lone CR.
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') ++i;
    ++line;
    bool blank = true;
    for (const auto& c : row.cells) blank = blank && c.empty();
    if (!blank) table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace pelagos
