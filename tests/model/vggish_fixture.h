// The synthetic VGGish weight fixtures (../shared/reference/vggish/*.pth.gz),
// decompressed once into the build tree and verified against the reference
// README's sha256 and size table.
#pragma once
#include <string>

namespace pelagos::test {

// "fixture_vggish_zip.pth" or "fixture_vggish_legacy.pth": returns the path of
// the decompressed file under PELAGOS_BINARY_DIR/test_fixtures. Decompresses
// only when the file is missing or has the wrong size; throws when the .gz or
// the result does not match the published checksums.
std::string vggish_weight_fixture(const std::string& name);

// ../shared/reference/vggish
std::string vggish_reference_dir();

}  // namespace pelagos::test
