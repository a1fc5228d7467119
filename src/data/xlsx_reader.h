// .xlsx (Office Open XML) workbooks, read with libzip + pugixml: the first
// worksheet, found through the workbook's relationships, as a table of text.
#pragma once
#include <string>

#include "data/table.h"

namespace pelagos {

// Shared strings (rich-text runs joined), inline strings, numbers (as written),
// booleans (TRUE/FALSE), formula results (the cached value) and error literals
// (#N/A, ...) all become text. Throws pelagos::Error naming the file, the part
// inside the zip and the cell for: not a zip, missing parts, malformed XML, a
// DTD (entity attacks), parts over the size limits, a formula without a cached value.
Table read_xlsx(const std::string& path);

}  // namespace pelagos
