// Search-space JSON (Optuna distributions): parse, validate against the training
// parameters, and check that what is accepted survives a JSON round trip.
#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "pelagos/tune/distribution.h"
#include "train/search_space.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  pelagos::fuzz::expect_clean([&] {
    const pelagos::tune::SearchSpace space = pelagos::tune::search_space_from_json(j);
    const nlohmann::json back = pelagos::tune::search_space_to_json(space);
    if (pelagos::tune::search_space_to_json(pelagos::tune::search_space_from_json(back)) != back) std::abort();
  });
  pelagos::fuzz::MemFile file(data, size);
  pelagos::fuzz::expect_clean([&] { pelagos::read_search_space(file.path()); });
  return 0;
}
