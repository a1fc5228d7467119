#include "util/system_library.h"

#include <gtest/gtest.h>

#include <string>

#include "pelagos/error.h"
#include "support/subprocess.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(SystemLibrary, MissingLibrarySaysWhatToInstall) {
  const std::string message = test::error_of([] {
    SystemLibrary lib("libpelagos-absent.so.7", "cannot load libabsent ({}). Install it (apt-get install libabsent7).");
  });
  EXPECT_NE(message.find("cannot load libabsent (libpelagos-absent.so.7"), std::string::npos) << message;
  EXPECT_NE(message.find("apt-get install libabsent7"), std::string::npos) << message;
}

TEST(SystemLibrary, MissingFunctionNamesTheLibrary) {
  const SystemLibrary libc("libc.so.6", "cannot load the C library ({})");
  EXPECT_NE(libc.function<size_t (*)(const char*)>("strlen"), nullptr);
  const std::string message = test::error_of([&] { libc.function<void (*)()>("pelagos_absent_function"); });
  EXPECT_EQ(message, "libc.so.6 has no pelagos_absent_function; it is too old for pelagos");
}

// The point of opening them on first use: `pelagos study ...` starts without
// the audio, zip and hashing libraries and everything they link.
TEST(SystemLibrary, TheProgramDoesNotLinkTheLibrariesItOpensOnFirstUse) {
  const test::ProcessResult r =
      test::run_process({test::pelagos_binary()}, 30, {"LD_TRACE_LOADED_OBJECTS=1"});
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  ASSERT_NE(r.out.find("libpelagos_core"), std::string::npos) << r.out;
  for (const char* lib : {"libsndfile", "libsoxr", "libzip", "libcrypto", "libcurl", "libpq", "libtorch"})
    EXPECT_EQ(r.out.find(lib), std::string::npos) << lib << " is linked:\n" << r.out;
}

}  // namespace
}  // namespace pelagos
