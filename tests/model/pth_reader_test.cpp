#include "model/pth_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/pickle_builder.h"
#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

using test::FakeStorage;
using test::FakeTensor;
using test::PickleBuilder;

// Two storages: "s0" holds 6 floats viewed by two tensors (a 2x3 matrix and its
// second row), "s1" holds one double.
std::vector<FakeStorage> storages() {
  double d = 2.5;
  return {{"s0", "FloatStorage", 6, test::floats({1, 2, 3, 4, 5, 6})},
          {"s1", "DoubleStorage", 1, std::string(reinterpret_cast<const char*>(&d), 8)}};
}
std::vector<FakeTensor> tensors() {
  return {{"w", "s0", {2, 3}, {3, 1}, 0}, {"row", "s0", {3}, {1}, 3}, {"wt", "s0", {3, 2}, {1, 3}, 0},
          {"d", "s1", {}, {}, 0}};
}

// Expects read_pth to throw a pelagos::Error whose message contains every fragment.
void expect_error(const std::string& path, const std::vector<std::string>& fragments) {
  try {
    read_pth(path);
    FAIL() << "no error for " << path;
  } catch (const Error& e) {
    const std::string msg = e.what();
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' not in: " << msg;
  }
}

void check_contents(const PthContents& c) {
  ASSERT_EQ(c.tensors.size(), 4u);
  EXPECT_EQ(c.tensors[0].first, "w");
  EXPECT_EQ(c.tensors[0].second.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(c.tensors[0].second.to_float32(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(c.tensors[1].second.to_float32(), (std::vector<float>{4, 5, 6}));
  EXPECT_EQ(c.tensors[2].second.to_float32(), (std::vector<float>{1, 4, 2, 5, 3, 6}));  // transposed view
  EXPECT_FALSE(c.tensors[2].second.is_contiguous());
  // Views share one storage, as in PyTorch.
  EXPECT_EQ(c.tensors[0].second.storage.get(), c.tensors[1].second.storage.get());
  EXPECT_EQ(c.tensors[3].second.dtype, RawDType::Float64);
  EXPECT_EQ(c.tensors[3].second.to_float32(), std::vector<float>{2.5f});
}

TEST(PthReader, ReadsLegacyLayoutWithSharedViews) {
  test::TempDir dir;
  write_file_atomic(dir.file("a.pth"), test::legacy_pth(tensors(), storages()));
  PthContents c = read_pth(dir.file("a.pth"));
  EXPECT_EQ(c.format, PthFormat::Legacy);
  check_contents(c);
}

TEST(PthReader, ReadsZipLayoutWithAnyArchiveFolder) {
  test::TempDir dir;
  for (std::string folder : {"archive", "my_model"}) {
    test::write_zip_pth(dir.file(folder + ".pth"), tensors(), storages(), folder);
    PthContents c = read_pth(dir.file(folder + ".pth"));
    EXPECT_EQ(c.format, PthFormat::Zip);
    check_contents(c);
  }
}

TEST(PthReader, RefusesOsSystemWithoutRunningIt) {
  test::TempDir dir;
  const std::string marker = dir.file("pwned");
  const std::string pickle =
      PickleBuilder().global("os", "system").mark().str("touch " + marker).tuple().op('R').finish();
  test::write_zip(dir.file("evil.pth"), {{"evil/data.pkl", pickle}});
  expect_error(dir.file("evil.pth"), {"evil.pth", "'os.system'", "refusing"});
  EXPECT_FALSE(std::filesystem::exists(marker));
  // The same in the legacy container, in the object pickle.
  std::string legacy = test::legacy_pth({}, {});
  const size_t object_start = 15 + 6 + PickleBuilder().op('}').str("little_endian").boolean(true).op('s').finish().size();
  write_file_atomic(dir.file("evil_legacy.pth"), legacy.substr(0, object_start) + pickle);
  expect_error(dir.file("evil_legacy.pth"), {"'os.system'"});
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(PthReader, RefusesEvalAndReduceOnNonCallables) {
  test::TempDir dir;
  test::write_zip(dir.file("eval.pth"),
                  {{"a/data.pkl", PickleBuilder().global("builtins", "eval").mark().str("1").tuple().op('R').finish()}});
  expect_error(dir.file("eval.pth"), {"'builtins.eval'"});
  // REDUCE on an allowlisted storage type (not a function a state_dict calls).
  test::write_zip(dir.file("storage.pth"),
                  {{"a/data.pkl", PickleBuilder().global("torch", "FloatStorage").op(')').op('R').finish()}});
  expect_error(dir.file("storage.pth"), {"refusing to call", "torch.FloatStorage"});
  // REDUCE on a string.
  test::write_zip(dir.file("str.pth"), {{"a/data.pkl", PickleBuilder().str("x").op(')').op('R').finish()}});
  expect_error(dir.file("str.pth"), {"REDUCE on a str"});
}

TEST(PthReader, RefusesUnknownOpcodesAndBadMemo) {
  test::TempDir dir;
  test::write_zip(dir.file("op.pth"), {{"a/data.pkl", PickleBuilder().raw("\x93").finish()}});  // STACK_GLOBAL
  expect_error(dir.file("op.pth"), {"op.pth", "unsupported pickle opcode 0x93"});
  test::write_zip(dir.file("memo.pth"), {{"a/data.pkl", PickleBuilder().raw("h\x07").finish()}});  // BINGET 7
  expect_error(dir.file("memo.pth"), {"memo index 7"});
  test::write_zip(dir.file("empty.pth"), {{"a/data.pkl", PickleBuilder().op('u').finish()}});  // SETITEMS, no MARK
  expect_error(dir.file("empty.pth"), {"MARK"});
}

TEST(PthReader, EveryTruncationIsAnErrorNotACrash) {
  test::TempDir dir;
  const std::string full = test::legacy_pth(tensors(), storages());
  for (size_t len = 0; len < full.size(); ++len) {
    std::ofstream(dir.file("t.pth"), std::ios::binary | std::ios::trunc) << full.substr(0, len);  // no fsync: fast
    EXPECT_THROW(read_pth(dir.file("t.pth")), Error) << "length " << len;
  }
  write_file_atomic(dir.file("t.pth"), full.substr(0, full.size() - 3));
  expect_error(dir.file("t.pth"), {"truncated"});
}

TEST(PthReader, ZipWithoutDataPklOrWithShortRecords) {
  test::TempDir dir;
  test::write_zip(dir.file("nopkl.pth"), {{"a/version", "3\n"}, {"a/data/0", "abcd"}});
  expect_error(dir.file("nopkl.pth"), {"nopkl.pth", "without a data.pkl"});
  // A storage record shorter than the pickle declares.
  auto s = storages();
  s[0].bytes.resize(8);
  test::write_zip_pth(dir.file("short.pth"), tensors(), s);
  expect_error(dir.file("short.pth"), {"archive/data/s0", "24"});
}

TEST(PthReader, TensorsMustLieInsideTheirStorage) {
  test::TempDir dir;
  auto t = tensors();
  t[1].offset = 4;  // 3 elements from offset 4 run past a 6-element storage
  write_file_atomic(dir.file("oob.pth"), test::legacy_pth(t, storages()));
  expect_error(dir.file("oob.pth"), {"reaches element 6 of a 6-element storage"});
}

TEST(PthReader, NotATorchFile) {
  test::TempDir dir;
  write_file_atomic(dir.file("x.pth"), "hello world");
  expect_error(dir.file("x.pth"), {"x.pth", "not a torch.save file"});
  expect_error(dir.file("missing.pth"), {"missing.pth", "cannot open"});
  // A root that is not a dict.
  test::write_zip(dir.file("list.pth"), {{"a/data.pkl", PickleBuilder().op(']').finish()}});
  expect_error(dir.file("list.pth"), {"holds a list, not a state_dict"});
}

}  // namespace
}  // namespace pelagos
