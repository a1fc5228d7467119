// `pelagos inspect` in-process: summary and JSON on demo data and Watkins, exit
// status 1 for broken metadata and for undecodable files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "data/demo_data.h"
#include "support/test_support.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

struct CliRun {
  int code;
  std::string out, err;
};

CliRun inspect(std::vector<std::string> args) {
  args.insert(args.begin(), "inspect");
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = cli::run_cli(args);
  std::string out = testing::internal::GetCapturedStdout();
  return {code, out, testing::internal::GetCapturedStderr()};
}

TEST(InspectCommand, DemoDataSummaryAndJson) {
  test::TempDir dir;
  DemoDataOptions demo;
  demo.out_dir = dir.file("demo");
  demo.train_per_species = 2;
  demo.validate_per_species = 1;
  demo.test_per_species = 1;
  write_demo_data(demo);
  CliRun r = inspect({"--data", demo.out_dir, "--json", dir.file("report.json")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("6 species, 24 readable files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rising Whistler"), std::string::npos);
  EXPECT_NE(r.out.find("The dataset is usable."), std::string::npos);
  auto j = nlohmann::json::parse(read_file(dir.file("report.json")));
  EXPECT_TRUE(j["usable"].get<bool>());
  EXPECT_EQ(j["species"].size(), 6u);
  EXPECT_EQ(j["files"].size(), 24u);
  EXPECT_EQ(j["counts"]["train"]["Moaning Rorqual"]["files"], 2);

  // A clip that no longer decodes: the report still prints, the exit status says "not usable".
  write_file_atomic(demo.out_dir + "/test/" + j["files"][23]["file_name"].get<std::string>(), "garbage");
  r = inspect({"--data", demo.out_dir});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("error: 1 file cannot be decoded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("23 readable files"), std::string::npos) << r.out;
}

TEST(InspectCommand, BrokenMetadataFailsWithTheError) {
  test::TempDir dir;
  CliRun r = inspect({"--data", dir.path().string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("train_metadata.xlsx: metadata file not found"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(InspectCommand, Watkins) {
  PELAGOS_REQUIRE_SHARED();
  CliRun r = inspect({"--data", test::shared_dir() + "/data/watkins"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("10 species, 425 readable files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("288 (680.9 s)"), std::string::npos);
  EXPECT_NE(r.out.find("76 (162.4 s)"), std::string::npos);
  EXPECT_NE(r.out.find("61 (133.9 s)"), std::string::npos);
  EXPECT_NE(r.out.find("Formats: FLAC: 288, WAV: 137"), std::string::npos);
  // The README's table: 0.05 / 1.94 / 2.36 / 8.73 for train.
  EXPECT_NE(r.out.find("train      0.05 / 1.94 / 2.36 / 8.73"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test       0.16 / 2.07 / 2.20 / 8.52"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("error:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pelagos
