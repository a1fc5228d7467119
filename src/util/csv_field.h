// Writing CSV (RFC 4180): a field holding a comma, quote or line break is
// quoted, with inner quotes doubled.
#pragma once
#include <string>

namespace pelagos {

std::string csv_field(const std::string& s);

}  // namespace pelagos
