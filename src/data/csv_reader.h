// CSV metadata (RFC 4180): comma-separated, "double quotes" around fields that
// hold commas, quotes ("" inside quotes) or line breaks; LF or CRLF line ends;
// an optional UTF-8 byte-order mark. A header line without commas but with ';'
// (or tabs) selects that separator instead, as spreadsheet exports in many locales use.
#pragma once
#include <string>
#include <string_view>

#include "data/table.h"

namespace pelagos {

constexpr size_t kMaxCsvBytes = 256ull << 20;  // metadata, not data: refuse anything larger

// Throws pelagos::Error naming the file and line for unterminated quotes or text after a closing quote.
Table read_csv(const std::string& path);
Table parse_csv(std::string_view text, const std::string& path_for_messages);

}  // namespace pelagos
