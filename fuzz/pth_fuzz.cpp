// torch.save files from the internet: the pickle VM and the zip / legacy readers.
#include "fuzz_input.h"
#include "model/pth_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pelagos::fuzz::MemFile file(data, size);
  pelagos::fuzz::expect_clean([&] {
    const pelagos::PthContents c = pelagos::read_pth(file.path(), true);
    for (const auto& [key, t] : c.tensors) (void)t.to_float32();  // every view must lie inside its storage
  });
  return 0;
}
