// CSV metadata: any bytes (separators, quotes, BOM, line ends).
#include "data/csv_reader.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pelagos::fuzz::expect_clean([&] { pelagos::parse_csv(text, "fuzz.csv"); });
  return 0;
}
