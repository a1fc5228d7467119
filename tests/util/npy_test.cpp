#include <gtest/gtest.h>

#include <cstring>

#include "support/test_support.h"
#include "util/npy.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

TEST(Npy, RoundTripsFloat32) {
  test::TempDir dir;
  std::vector<float> data{1.f, -2.5f, 3.25f, 0.f, 7.f, 8.f};
  write_npy(dir.file("a.npy"), data.data(), {2, 3});
  NpyArray a = read_npy(dir.file("a.npy"));
  EXPECT_EQ(a.dtype, "<f4");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.to_float(), data);
}

TEST(Npy, EmptyLeadingDimension) {
  test::TempDir dir;
  write_npy(dir.file("e.npy"), nullptr, {0, 96, 64});
  NpyArray a = read_npy(dir.file("e.npy"));
  EXPECT_EQ(a.shape, (std::vector<int64_t>{0, 96, 64}));
  EXPECT_EQ(a.numel(), 0);
}

TEST(Npy, ReadsReferenceFixture) {
  PELAGOS_REQUIRE_SHARED();
  NpyArray a = read_npy(test::shared_dir() + "/reference/frontend/vggish/smoke.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{3, 96, 64}));
}

TEST(Npy, FortranOrderIsReturnedInCOrder) {
  NpyArray f;
  f.dtype = "<f4";
  f.shape = {2, 3};
  std::vector<float> column_major{1, 2, 3, 4, 5, 6};  // columns (1,2), (3,4), (5,6)
  f.bytes.resize(6 * sizeof(float));
  std::memcpy(f.bytes.data(), column_major.data(), f.bytes.size());
  std::string bytes = encode_npy(f);
  bytes.replace(bytes.find("False"), 5, "True ");
  NpyArray a = parse_npy(bytes, "f.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.to_float(), (std::vector<float>{1, 3, 5, 2, 4, 6}));
}

TEST(Npy, RejectsGarbageWithFileName) {
  try {
    parse_npy("not an npy file at all", "x.npy");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.npy"), std::string::npos);
  }
}

}  // namespace
}  // namespace pelagos
