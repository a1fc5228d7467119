// xlsx metadata (zip + XML) as a user may hand it: any bytes.
#include "data/xlsx_reader.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pelagos::fuzz::MemFile file(data, size);
  pelagos::fuzz::expect_clean([&] { pelagos::read_xlsx(file.path()); });
  return 0;
}
