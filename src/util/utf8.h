// UTF-8 checks for names that come from user files (metadata cells, paths).
#pragma once
#include <string>
#include <string_view>

namespace pelagos {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with every byte outside printable ASCII shown as \xNN, for error messages about bad bytes.
std::string escape_bytes(std::string_view text);

}  // namespace pelagos
